from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from rokhas.payments.loading import DEFAULT_PATH, load_rates


class Command(BaseCommand):
    help = "Load or update commune fee rates (dated) from a JSON file (idempotent); default: the demo rates."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH))

    def handle(self, *args, path, **options):
        try:
            notes = load_rates(path)
        except (ValidationError, OSError, ValueError, KeyError) as exc:
            raise CommandError(f"Rates not loaded (nothing changed): {exc}") from exc
        for note in notes:
            self.stdout.write(note)
