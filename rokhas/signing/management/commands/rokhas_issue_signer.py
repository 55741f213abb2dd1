from getpass import getpass

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from rokhas.signing.credentials import issue_dev_credential


class Command(BaseCommand):
    help = "Issue a signing certificate from the development (TEST) CA for a user, protected by a PIN."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="username")
        parser.add_argument("--pin", help="PIN protecting the PKCS#12 file (prompted if omitted)")
        parser.add_argument("--label", default="")
        parser.add_argument("--organisation", default="", help="O= of the certificate")
        parser.add_argument("--key-type", choices=["ec", "rsa"], default="ec",
                            help="ec = ECDSA P-256 (default), rsa = RSA-3072")

    def handle(self, *args, user: str, pin: str | None, label: str, organisation: str, key_type: str,
               **options):
        try:
            account = get_user_model().objects.get_by_natural_key(user)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"no user {user!r}") from exc
        pin = pin or getpass("PIN: ")
        if not pin:
            raise CommandError("a PIN is required")
        credential = issue_dev_credential(account, pin=pin, label=label, organisation=organisation,
                                          key_type=key_type)
        self.stdout.write(self.style.SUCCESS(
            f"Issued credential #{credential.pk} for {account}: CN={credential.subject_cn}, "
            f"serial {credential.serial_number}, valid until {credential.not_after:%Y-%m-%d}"
        ))
