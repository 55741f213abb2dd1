"""Fixtures for the fees and payment tests: demo commune rates, an occupation-of-the-public-
domain procedure built here (fee due on filing), and helpers that carry a payment through the
local test gateway with the Django test client (never the network)."""

from __future__ import annotations

import datetime
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from rokhas.catalogue.models import Procedure, ProcedureVersion, ProjectClass
from rokhas.demo.seed import DEMO_PIN
from rokhas.dossiers import services
from rokhas.payments.devgateway import callback_fields
from rokhas.payments.loading import load_rates
from rokhas.payments.providers.cmi import config
from rokhas.review.services import give_opinion

OCCUPATION_RULES = [
    {"code": "odp", "kind": "per_area_duration", "due": "on_filing",
     "label_fr": "Redevance d'occupation temporaire du domaine public", "label_ar": "إتاوة الاحتلال المؤقت للملك العمومي",
     "area_field": "surface_m2", "duration_field": "months", "duration_unit": "month",
     "tax_code": "odp-occupation-temporaire", "bands": {"odp-occupation-temporaire": {"min": "1.00", "max": "100.00"}},
     "rounding": {"quantum": "1", "mode": "up"}, "legal_source": "Loi 47-06 (test)", "check": "[check] test data"},
    {"code": "dossier", "kind": "flat", "due": "on_filing", "amount": "50.00",
     "label_fr": "Frais de dossier", "label_ar": "مصاريف الملف", "legal_source": "Test"},
]
OCCUPATION_SCHEMA = [
    {"name": "surface_m2", "type": "decimal", "required": True, "min": 1, "max": 10000,
     "label_fr": "Surface occupée (m²)", "label_ar": "المساحة المحتلة (م²)"},
    {"name": "months", "type": "int", "required": True, "min": 1, "max": 60,
     "label_fr": "Durée (mois)", "label_ar": "المدة (أشهر)"},
]


@pytest.fixture
def rates(world):
    load_rates()


def build_procedure(code: str, fee_rules: list, form_schema: list | None = None) -> Procedure:
    procedure = Procedure.objects.create(code=code, domain="economic", name_fr="Occupation du domaine public",
                                         name_ar="الاحتلال المؤقت للملك العمومي", reference_prefix="ODP")
    version = ProcedureVersion.objects.create(
        procedure=procedure, version=1, effective_from=datetime.date(2020, 1, 1), legal_source="Test",
        form_schema=form_schema if form_schema is not None else OCCUPATION_SCHEMA, fee_rules=fee_rules)
    ProjectClass.objects.create(version=version, code="all", name_fr="Toutes", name_ar="الكل", order=1, criteria=[],
                                total_days=10, silence_rule="tacit_approval", deadline_source_fr="Test",
                                deadline_source_ar="اختبار")
    return procedure


@pytest.fixture
def occupation(world, rates):
    """A function: file an occupation request (surface, months) in a commune; returns the file."""
    procedure = build_procedure("occupation-test", OCCUPATION_RULES)

    def _file(surface="12.5", months=3, commune=None):
        u = world.users
        d = services.create_draft(actor=u["owner"], commune=commune or world.commune, procedure=procedure,
                                  owner=u["owner"], title="Terrasse de café")
        d = services.update_draft(actor=u["owner"], dossier=d, title=None,
                                  declared={"surface_m2": surface, "months": months})
        return services.submit(actor=u["owner"], dossier=d, token=f"odp-{d.pk}")

    return _file


def grant(world, dossier):
    from rokhas.decisions.services import decide

    services.accept_and_dispatch(actor=world.users["guichet"], dossier=dossier)
    for key in ("commune_reviewer", "urban_agency", "local_authority"):
        give_opinion(actor=world.users[key], dossier=dossier, verdict="favorable", text="")
    decide(actor=world.users["president"], dossier=dossier, outcome="granted", pin=DEMO_PIN)
    dossier.refresh_from_db()
    return dossier


def backdate_filing(dossier, days: int):
    """Move the filing into the past (a fact of the scenario, not a rule)."""
    type(dossier).objects.filter(pk=dossier.pk).update(filed_at=timezone.now() - datetime.timedelta(days=days))
    dossier.refresh_from_db()
    return dossier


def gateway_fields(form_fields: dict, *, approved=True, transaction_id=None, **overrides) -> dict:
    """The signed callback the gateway would send for this payment form (then overridden, unsigned
    fields re-signed with the store key, as an honest gateway would)."""
    merchant = {**form_fields, **overrides.pop("merchant", {})}
    fields = callback_fields(merchant, approved=approved, store_key=config()["store_key"],
                             transaction_id=transaction_id)
    return fields


def post_callback(fields: dict) -> tuple[int, str]:
    response = Client().post(urlsplit(fields["callbackUrl"]).path, fields)
    return response.status_code, response.content.decode()


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def form_fields(html: str) -> dict:
    """The hidden fields of the gateway form on a page (the signed payment request)."""
    return {name: unescape(value) for name, value in _HIDDEN.findall(html)}
