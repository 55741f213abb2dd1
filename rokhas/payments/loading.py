"""Loading commune rates from a committed JSON file (rokhas/payments/data/commune-rates.json).

Idempotent: a rate is identified by (commune, tax code, start date). A rate already used by an
invoice is frozen (only its end date may be set); a change of rate must come as a new dated row.
Every row is validated like in the admin (period order, no overlap, inside the legal band).
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from rokhas.territory.models import Commune

from .models import CommuneRate, InvoiceLine

DEFAULT_PATH = Path(__file__).parent / "data" / "commune-rates.json"


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def load_rates(path: Path = DEFAULT_PATH) -> list[str]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    notes = []
    for row in data["rates"]:
        commune = Commune.objects.filter(code=row["commune"]).first()
        label = f"{row['commune']} {row['tax_code']} from {row['effective_from']}"
        if commune is None:
            notes.append(f"{label}: no such commune, skipped")
            continue
        rate = CommuneRate.objects.filter(commune=commune, tax_code=row["tax_code"],
                                          effective_from=_date(row["effective_from"])).first()
        wanted = {"rate": Decimal(row["rate"]), "effective_to": _date(row.get("effective_to")),
                  "legal_source": row["legal_source"]}
        if rate is not None and InvoiceLine.objects.filter(commune_rate=rate).exists():
            if rate.rate != wanted["rate"] or rate.legal_source != wanted["legal_source"]:
                notes.append(f"{label}: used by invoices, left unchanged (add a new dated rate instead)")
                continue
        rate = rate or CommuneRate(commune=commune, tax_code=row["tax_code"],
                                   effective_from=_date(row["effective_from"]))
        for key, value in wanted.items():
            setattr(rate, key, value)
        try:
            rate.full_clean()
        except ValidationError as exc:
            raise ValidationError(f"{label}: {'; '.join(exc.messages)}") from exc
        rate.save()
        notes.append(f"{label}: {rate.rate} MAD")
    return notes
