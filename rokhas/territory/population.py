"""Import of commune populations from a CSV file (code, population).

Population decides whether a commune runs its own guichet unique (Commune.has_guichet_unique).
Every row is checked before anything is written; by default one bad row means nothing is
imported.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from .models import Commune

CODE_HEADERS = {"code", "commune_code", "code_commune", "code commune"}
POPULATION_HEADERS = {"population", "population_totale", "population totale", "habitants"}
_NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+|\d+")
_CODE = re.compile(r"(\d{1,3})\.(\d{1,2})\.(\d{1,2})")
MAX_POPULATION = 10_000_000


class PopulationFileError(ValueError):
    """The file itself cannot be read (encoding, header)."""


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class ParseResult:
    rows: list[tuple[int, str, int]] = field(default_factory=list)  # (line, code, population)
    errors: list[RowError] = field(default_factory=list)


@dataclass
class ImportReport:
    imported: int
    with_guichet_unique: int
    skipped: list[RowError]


def normalise_code(raw: str) -> str:
    """'1.1.1' (spreadsheets drop leading zeros) and '001.01.01' are the same commune."""
    raw = raw.strip()
    match = _CODE.fullmatch(raw)
    if match:
        province, cercle, number = (int(part) for part in match.groups())
        return f"{province:03d}.{cercle:02d}.{number:02d}"
    return raw


def parse_population(raw: str) -> int | None:
    """Whole non-negative numbers; thousands may be grouped with spaces ('1 234 567')."""
    raw = raw.strip()
    if not _NUMBER.fullmatch(raw):
        return None
    value = int(re.sub(r"\D", "", raw))
    return value if value <= MAX_POPULATION else None


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # with or without BOM
    except UnicodeDecodeError as exc:
        raise PopulationFileError(f"the file is not UTF-8 ({exc.reason} at byte {exc.start})") from exc


def parse_csv(data: bytes) -> ParseResult:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        raise PopulationFileError("the file is empty")
    columns = [h.strip().lower() for h in header]
    code_col = next((i for i, h in enumerate(columns) if h in CODE_HEADERS), None)
    pop_col = next((i for i, h in enumerate(columns) if h in POPULATION_HEADERS), None)
    if code_col is None or pop_col is None:
        raise PopulationFileError(
            f"line 1: expected a header with 'code' (or 'commune_code', 'code_commune') and "
            f"'population' columns, found {header!r}"
        )

    result = ParseResult()
    known = set(Commune.objects.values_list("code", flat=True))
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) <= max(code_col, pop_col):
            result.errors.append(RowError(line, f"expected at least {max(code_col, pop_col) + 1} columns"))
            continue
        code = normalise_code(record[code_col])
        population = parse_population(record[pop_col])
        problems = []
        if code not in known:
            problems.append(f"unknown commune code {record[code_col].strip()!r}")
        elif code in seen:
            problems.append(f"commune {code} already given on line {seen[code]}")
        if population is None:
            problems.append(f"population {record[pop_col].strip()!r} is not a whole number of inhabitants")
        if problems:
            result.errors.append(RowError(line, "; ".join(problems)))
            continue
        seen[code] = line
        result.rows.append((line, code, population))
    return result


@transaction.atomic
def import_population(data: bytes, year: int | None = None, *, skip_invalid: bool = False) -> ImportReport:
    """Write the populations; raises PopulationFileError listing every bad row unless
    skip_invalid, in which case only good rows are written and the bad ones reported."""
    parsed = parse_csv(data)
    if parsed.errors and not skip_invalid:
        details = "\n".join(f"  {error}" for error in parsed.errors)
        raise PopulationFileError(
            f"{len(parsed.errors)} invalid row(s), nothing imported "
            f"(use --skip-invalid to import the valid rows):\n{details}"
        )
    by_code = {code: population for _, code, population in parsed.rows}
    communes = list(Commune.objects.filter(code__in=by_code))
    for commune in communes:
        commune.population = by_code[commune.code]
        commune.population_year = year
    Commune.objects.bulk_update(communes, ["population", "population_year"], batch_size=500)
    threshold = getattr(settings, "ROKHAS_GUICHET_UNIQUE_POPULATION", 50_000)
    return ImportReport(
        imported=len(communes),
        with_guichet_unique=sum(1 for population in by_code.values() if population > threshold),
        skipped=parsed.errors,
    )
