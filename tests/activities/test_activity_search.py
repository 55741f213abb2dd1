"""The activity catalogue is searchable in French and Arabic, forgiving accents, case, Arabic
letter variants and synonyms; each result tells the regime and what follows."""

from __future__ import annotations

import pytest

from rokhas.activities.selectors import search_activities, what_follows


def _codes(query):
    return [a.code for a in search_activities(query)]


@pytest.mark.django_db
@pytest.mark.parametrize("query,code", [
    ("épicerie", "epicerie"), ("EPICERIE", "epicerie"), ("epic", "epicerie"),
    ("coiffeur", "salon-coiffure"), ("salon de coiffure", "salon-coiffure"),
    ("boulangerie", "boulangerie"), ("station service", "station-service"), ("Station-Service", "station-service"),
    ("menuiserie", "atelier-menuiserie"), ("hammam", "hammam"), ("pharmacie", "pharmacie"),
    ("garage mécanique", "garage-mecanique"), ("mecanicien", "garage-mecanique"),
])
def test_french(catalogue, query, code):
    assert code in _codes(query)


@pytest.mark.django_db
@pytest.mark.parametrize("query,code", [
    ("بقالة", "epicerie"), ("مقهى", "cafe"), ("مخبزة", "boulangerie"), ("حلاق", "salon-coiffure"),
    ("محطة الوقود", "station-service"), ("بنزين", "station-service"), ("حمام", "hammam"),
    ("صيدلية", "pharmacie"), ("نجارة", "atelier-menuiserie"),
    ("مرآب", "garage-mecanique"), ("مراب", "garage-mecanique"),  # alef with madda typed plainly
    ("مقهي", "cafe"),  # alef maqsura typed as yeh
])
def test_arabic(catalogue, query, code):
    assert code in _codes(query)


@pytest.mark.django_db
def test_name_starting_with_the_query_comes_first(catalogue):
    assert _codes("cafe")[0] == "cafe"  # before "cybercafé"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "   ", "zzzz", "x" * 5000, "'; DROP TABLE activities; --", "\x00"])
def test_nothing_or_garbage_finds_nothing_and_does_not_fail(catalogue, query):
    assert _codes(query) == []


@pytest.mark.django_db
def test_what_follows_each_regime(catalogue):
    from rokhas.activities.models import Activity

    declaration = what_follows(Activity.objects.get(code="epicerie"))
    assert declaration.declaration_only and declaration.organisations == ()
    authorisation = what_follows(Activity.objects.get(code="cafe"))
    assert set(authorisation.organisations) == {"commune", "local_authority", "hygiene_office"}
    second = what_follows(Activity.objects.get(code="station-service"))
    assert {"civil_protection", "environment"} <= set(second.organisations) and second.total_days == 60
    third = what_follows(Activity.objects.get(code="garage-mecanique"))
    assert "environment" not in third.organisations and third.total_days == 30


@pytest.mark.parametrize("lang,query,name,regime", [
    ("fr", "epicerie", "Épicerie", "simple declaration"),
    ("ar", "بقالة", "بقالة", None),
    ("fr", "station", "Station-service", "classified establishment"),
])
def test_the_search_fragment(world, client, lang, query, name, regime):
    client.force_login(world.users["owner"])
    response = client.get(f"/{lang}/files/new/activities/", {"activity_q": query})
    assert response.status_code == 200
    page = response.content.decode()
    assert name in page and 'name="activity"' in page
    if regime:  # msgid; the compiled catalogue may translate it
        from django.utils import translation
        with translation.override(lang):
            assert translation.gettext(regime) in page


def test_the_fragment_says_when_nothing_matches(world, client):
    client.force_login(world.users["owner"])
    page = client.get("/fr/files/new/activities/", {"activity_q": "qwertyuiop"}).content.decode()
    assert 'data-testid="activity-none"' in page


def test_the_fragment_needs_a_login(world, client):
    assert client.get("/fr/files/new/activities/", {"activity_q": "cafe"}).status_code == 302
