"""Fee rules as data: the TOC per m² with projections counted twice, at the commune's rate
inside the legal band; occupation of the public domain by surface × duration; flat fees."""

import datetime
from decimal import Decimal

import pytest

from rokhas.catalogue.loading import DATA_DIR
from rokhas.catalogue.models import ProcedureVersion
from rokhas.payments.fees import compute, validate_rules
from rokhas.payments.models import CommuneRate

from .conftest import OCCUPATION_RULES, build_procedure

TODAY = datetime.date(2026, 6, 1)
HOUSE = {"use": "individual_housing", "floor_area_m2": 320.0, "public_domain_projection_m2": 12.5}


@pytest.fixture
def toc_version(catalogue):
    return ProcedureVersion.objects.get(procedure__code="permis-construire", version=1)


def test_toc_counts_projections_over_the_public_domain_twice(world, rates, toc_version):
    result = compute(toc_version, HOUSE, world.commune, TODAY)
    assert not result.problems
    (line,) = result.lines
    assert line.rule_code == "toc" and line.due == "before_delivery"
    assert line.quantity == Decimal("332.50")  # 320 + 12.5 counted a second time
    assert line.rate == Decimal("25.00")  # Kénitra, individual housing
    assert line.amount == Decimal("8312.50") and isinstance(line.amount, Decimal)
    assert line.details == {"area": "320.0", "counted_twice": "12.5", "tax_code": "toc-habitat-individuel"}
    assert line.to_check and "47-06" in line.legal_source


def test_toc_rate_depends_on_the_use_and_the_commune(world, rates, toc_version):
    flats = {**HOUSE, "use": "collective_housing", "public_domain_projection_m2": None}
    assert compute(toc_version, flats, world.commune, TODAY).lines[0].amount == Decimal("4800.00")  # 320 × 15
    assert compute(toc_version, flats, world.other_commune, TODAY).lines[0].amount == Decimal("6400.00")  # × 20


def test_a_rate_outside_the_legal_band_is_not_applied(world, rates, toc_version):
    CommuneRate.objects.filter(commune=world.commune, tax_code="toc-habitat-individuel").update(rate=Decimal("35.00"))
    result = compute(toc_version, HOUSE, world.commune, TODAY)
    assert not result.lines
    assert [p.code for p in result.problems] == ["out_of_band"]
    assert "20.00–30.00" in result.problems[0].message


def test_no_rate_in_force_is_reported_not_guessed(world, toc_version):
    result = compute(toc_version, HOUSE, world.commune, TODAY)  # no rates loaded
    assert not result.lines and result.problems[0].code == "no_rate"


def test_a_rate_outside_the_band_is_refused_when_saved(world, rates):
    from django.core.exceptions import ValidationError

    from rokhas.territory.models import Commune

    rate = CommuneRate(commune=Commune.objects.get(code="141.01.01"), tax_code="toc-immeubles", rate=Decimal("9.99"),
                       effective_from=datetime.date(2030, 1, 1), legal_source="test")
    with pytest.raises(ValidationError) as exc:
        rate.full_clean()
    assert "rate" in exc.value.message_dict


def test_overlapping_periods_are_refused(world, rates):
    from django.core.exceptions import ValidationError

    rate = CommuneRate(commune=world.commune, tax_code="toc-immeubles", rate=Decimal("12.00"),
                       effective_from=datetime.date(2024, 1, 1), legal_source="test")
    with pytest.raises(ValidationError):
        rate.full_clean()  # the 2020 rate has no end date


def test_occupation_by_surface_times_duration_and_flat_fee(world, rates):
    version = build_procedure("odp-fees", OCCUPATION_RULES).versions.get()
    result = compute(version, {"surface_m2": 12.5, "months": 3}, world.commune, TODAY)
    odp, flat = result.lines
    assert (odp.quantity, odp.unit, odp.rate) == (Decimal("37.50"), "m2_month", Decimal("10.00"))
    assert odp.amount == Decimal("375.00")
    assert (flat.unit, flat.amount, flat.commune_rate_id) == ("flat", Decimal("50.00"), None)
    assert result.total == Decimal("425.00")


def test_rounding_follows_the_rule(world, rates):
    version = build_procedure("odp-round", OCCUPATION_RULES).versions.get()
    odp = compute(version, {"surface_m2": 1.23, "months": 1}, world.commune, TODAY).lines[0]
    assert odp.amount == Decimal("13.00")  # 12.30 rounded up to the dirham (rule: quantum 1, mode up)


def test_flat_fee_at_a_commune_rate_and_conditions(world, rates):
    rules = [{"code": "refection", "kind": "flat", "due": "before_delivery", "tax_code": "refection-forfait",
              "bands": {"refection-forfait": {"max": "500.00"}}, "label_fr": "Réfection", "label_ar": "إصلاح",
              "legal_source": "Loi 47-06", "applies_if": [{"field": "nature", "op": "eq", "value": "refection"}]}]
    version = build_procedure("refection-test", rules, form_schema=[]).versions.get()
    CommuneRate.objects.create(commune=world.commune, tax_code="refection-forfait", rate=Decimal("400.00"),
                               effective_from=datetime.date(2020, 1, 1), legal_source="test")
    assert compute(version, {"nature": "refection"}, world.commune, TODAY).lines[0].amount == Decimal("400.00")
    assert compute(version, {"nature": "new"}, world.commune, TODAY).lines == ()


def test_the_catalogue_fee_rules_are_well_formed():
    import json

    for path in sorted(DATA_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for version in data.get("versions", []):
            assert validate_rules(version.get("fee_rules", [])) == [], path.name
    assert validate_rules(OCCUPATION_RULES) == []
    assert validate_rules([{"code": "x", "kind": "per_volume"}])  # garbage is reported


def test_the_projection_field_is_declared_in_the_form(toc_version):
    names = [f["name"] for f in toc_version.form_schema]
    assert "public_domain_projection_m2" in names and "floor_area_m2" in names
