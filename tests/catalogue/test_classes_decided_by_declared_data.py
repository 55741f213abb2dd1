"""The class of a file (petits / grands projets, or the procedure's own classes) is decided by
rules on what the applicant declares, and the applicant is told why, in French and Arabic."""

from __future__ import annotations

import pytest
from django.utils import translation

from rokhas.catalogue.classification import classify
from rokhas.catalogue.models import Procedure

# procedure, declared data, expected class, a word of the French "why" (None: default class)
CASES = [
    ("permis-regularisation", {"use": "individual_housing", "levels": 5, "floor_area_m2": 600}, "grands", "niveaux"),
    ("permis-regularisation", {"use": "individual_housing", "levels": 2, "floor_area_m2": 200}, "petits", None),
    ("permis-regularisation", {"use": "industrial", "levels": 1, "floor_area_m2": 300}, "grands", "industriel"),
    ("permis-demolir", {"levels": 1, "floor_area_m2": 2500}, "grands", "1 000 m²"),
    ("permis-demolir", {"levels": 1, "floor_area_m2": 80, "receives_public": True}, "grands", "recevant du public"),
    ("permis-demolir", {"levels": 2, "floor_area_m2": 150}, "petits", None),
    ("permis-refection", {"works": "facade", "receives_public": True}, "erp", "recevant du public"),
    ("permis-refection", {"works": "facade"}, "petits", None),
    ("certificat-conformite", {"use": "commercial", "receives_public": True}, "erp", "recevant du public"),
    ("autorisation-publicite", {"surface_m2": 24, "support": "billboard"}, "grand-format", "12 m²"),
    ("autorisation-publicite", {"surface_m2": 2, "on_public_domain": True}, "grand-format", "domaine public"),
    ("autorisation-publicite", {"surface_m2": 2}, "standard", None),
    ("occupation-domaine-public", {"purpose": "telecom"}, "telecom", "télécommunications"),
    ("occupation-domaine-public", {"purpose": "terrace"}, "standard", None),
    ("etablissement-classe", {"activity": "station-service"}, "categorie-2", "2e catégorie"),
    ("etablissement-classe", {"activity": "depot-gaz"}, "categorie-2", "2e catégorie"),
    ("etablissement-classe", {"activity": "garage-mecanique"}, "categorie-3", None),
]


@pytest.mark.django_db
@pytest.mark.parametrize("code,declared,expected,why", CASES)
def test_class_and_why(catalogue, code, declared, expected, why):
    version = Procedure.objects.get(code=code).versions.get()
    result = classify(version, declared)
    assert result.project_class.code == expected
    if why is None:
        assert result.reasons == ()
        return
    with translation.override("fr"):
        assert any(why in text for text in result.why)
    with translation.override("ar"):
        assert result.why and all(any("\u0600" <= ch <= "\u06ff" for ch in text) for text in result.why)


@pytest.mark.django_db
def test_every_urbanism_procedure_with_projects_of_both_sizes_has_rules(catalogue):
    """Construction-like procedures are split by the same criteria as the construction permit."""
    permis = Procedure.objects.get(code="permis-construire").versions.get().classes.get(code="grands").criteria
    regularisation = Procedure.objects.get(code="permis-regularisation").versions.get().classes.get(code="grands")
    assert regularisation.criteria == permis
    # Subdivisions, housing groups and parcel splits are grands projets by nature (brief § 2).
    for code in ("lotir", "groupe-habitations", "morceler"):
        assert [c.code for c in Procedure.objects.get(code=code).versions.get().classes.all()] == ["grands"]


def test_the_draft_page_shows_the_class_and_why(world, client):
    from rokhas.demo.procedures import fill_file
    from rokhas.demo.samples import SAMPLES

    who, title, declared = SAMPLES["permis-regularisation"]
    d = fill_file(world, "permis-regularisation", (who, title, {**declared, "levels": 5}))
    client.force_login(world.users["architect"])
    page = client.get(f"/fr/files/{d.pk}/edit/").content.decode()
    assert "Grands projets" in page and "Quatre niveaux ou plus" in page
    page = client.get(f"/ar/files/{d.pk}/edit/").content.decode()
    assert "المشاريع الكبرى" in page and "أربعة طوابق أو أكثر" in page


@pytest.mark.django_db
def test_a_classified_establishment_is_classed_by_the_catalogue_not_by_what_is_typed(catalogue):
    """The category comes from the activity catalogue: declaring anything else changes nothing."""
    version = Procedure.objects.get(code="etablissement-classe").versions.get()
    assert "category" not in {f["name"] for f in version.form_schema}
    assert classify(version, {"activity": "station-service", "category": "3"}).project_class.code == "categorie-2"
