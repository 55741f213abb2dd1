from django.core.management.base import BaseCommand

from rokhas.catalogue.loading import load_all


class Command(BaseCommand):
    help = "Load or update the procedure catalogue from rokhas/catalogue/data/*.json (idempotent)."

    def handle(self, *args, **options):
        for note in load_all():
            self.stdout.write(note)
