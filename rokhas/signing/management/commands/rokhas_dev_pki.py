from django.core.management.base import BaseCommand

from rokhas.signing import pki


class Command(BaseCommand):
    help = (
        "Create (or refresh) the development PKI in ROKHAS_PKI_DIR: a TEST root CA, a "
        "time-stamping certificate and a current CRL. Idempotent; never use it in production."
    )

    def handle(self, *args, **options):
        done = pki.ensure_dev_pki()
        for line in done:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(
            f"Development PKI ready in {pki.pki_dir()}" + ("" if done else " (nothing to do)")
        ))
        self.stdout.write(f"Trust this CA in test viewers/validators: {pki.ca_cert_path()}")
