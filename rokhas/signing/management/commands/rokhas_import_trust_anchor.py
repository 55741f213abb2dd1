from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rokhas.signing import pki


class Command(BaseCommand):
    help = (
        "Trust a deployment's CA: store the certificates of a PEM bundle (or one DER certificate) "
        "in ROKHAS_PKI_DIR/trust/. Self-signed ones become trust roots, others intermediates."
    )

    def add_arguments(self, parser):
        parser.add_argument("pem", type=Path)

    def handle(self, *args, pem: Path, **options):
        try:
            data = pem.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {pem}: {exc.strerror}") from exc
        try:
            written = pki.import_trust_certificates(data)
        except pki.PkiError as exc:
            raise CommandError(f"{pem}: {exc}") from exc
        for path in written:
            self.stdout.write(f"stored {path}")
        self.stdout.write(self.style.SUCCESS(f"Imported {len(written)} certificate(s)."))
