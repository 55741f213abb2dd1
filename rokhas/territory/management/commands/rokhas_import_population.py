from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rokhas.territory.population import PopulationFileError, import_population


class Command(BaseCommand):
    help = (
        "Import commune populations from a CSV file with columns code,population "
        "(or commune_code / code_commune; ',' or ';' separated; UTF-8, BOM allowed). "
        "Every row is checked first; any bad row means nothing is imported unless --skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv", type=Path)
        parser.add_argument("--year", type=int, help="census or estimate year recorded with the figures")
        parser.add_argument("--skip-invalid", action="store_true",
                            help="import the valid rows and only report the invalid ones")

    def handle(self, *args, csv: Path, year: int | None, skip_invalid: bool, **options):
        if year is not None and not 1900 <= year <= 2100:
            raise CommandError(f"--year {year} is not a plausible year")
        try:
            data = csv.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {csv}: {exc.strerror}") from exc
        try:
            report = import_population(data, year, skip_invalid=skip_invalid)
        except PopulationFileError as exc:
            raise CommandError(f"{csv}: {exc}") from exc
        for error in report.skipped:
            self.stderr.write(f"skipped {error}")
        self.stdout.write(self.style.SUCCESS(
            f"Imported the population of {report.imported} commune(s)"
            + (f" for {year}" if year else "")
            + f"; {report.with_guichet_unique} above the guichet unique threshold"
            + (f"; {len(report.skipped)} invalid row(s) skipped." if report.skipped else ".")
        ))
