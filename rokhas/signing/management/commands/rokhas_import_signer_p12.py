from getpass import getpass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from rokhas.signing import pki
from rokhas.signing.credentials import import_pkcs12_credential


class Command(BaseCommand):
    help = (
        "Register a signer's PKCS#12 file (.p12/.pfx) issued by a real CA. The file is copied "
        "into ROKHAS_PKI_DIR/signers/, still protected by the signer's PIN."
    )

    def add_arguments(self, parser):
        parser.add_argument("p12", type=Path)
        parser.add_argument("--user", required=True, help="username")
        parser.add_argument("--pin", help="PIN of the PKCS#12 file (prompted if omitted)")
        parser.add_argument("--label", default="")

    def handle(self, *args, p12: Path, user: str, pin: str | None, label: str, **options):
        try:
            account = get_user_model().objects.get_by_natural_key(user)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"no user {user!r}") from exc
        try:
            data = p12.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {p12}: {exc.strerror}") from exc
        pin = pin if pin is not None else getpass("PIN: ")
        try:
            credential = import_pkcs12_credential(account, data, pin=pin, label=label)
        except pki.PkiError as exc:
            raise CommandError(f"{p12}: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(
            f"Registered credential #{credential.pk} for {account}: CN={credential.subject_cn}, "
            f"valid until {credential.not_after:%Y-%m-%d}"
        ))
