"""Arabic pages are right-to-left, French ones left-to-right, every page has the language
switcher, and no page carries inline script or style (the CSP forbids them)."""

from __future__ import annotations

import re

import pytest

from .conftest import body, client_for, filed_via_web, url

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"", re.I)


def _pages(world, pk):
    """(person key or None, url name, kwargs) for every page."""
    return [
        (None, "web:home", {}), (None, "web:login", {}), (None, "verify", {}),
        (None, "verify-code", {"code": "ABCDE-12345"}),
        ("architect", "web:home", {}), ("architect", "web:new", {}),
        ("architect", "web:dossier", {"pk": pk}),
        ("guichet", "web:home", {}), ("guichet", "web:dossier", {"pk": pk}),
        ("commune_reviewer", "web:home", {}), ("president", "web:home", {}),
        ("supervisor", "web:home", {}), ("owner", "web:dossier", {"pk": pk}),
    ]


@pytest.mark.parametrize("lang,direction", [("ar", "rtl"), ("fr", "ltr")])
def test_every_page_has_the_language_direction(lang, direction, world):
    architect = client_for(world.users["architect"], lang)
    pk = filed_via_web(architect, world, lang)
    from .conftest import create_draft_via_web

    draft_pk = create_draft_via_web(architect, world, lang, title="Second")
    pages = _pages(world, pk) + [("architect", "web:draft", {"pk": draft_pk})]
    for who, name, kwargs in pages:
        client = client_for(world.users[who] if who else None, lang)
        response = client.get(url(lang, name, **kwargs))
        assert response.status_code == 200, (who, name, response.status_code)
        html = body(response)
        assert f'<html lang="{lang}" dir="{direction}">' in html, (who, name)
        assert 'data-testid="language-switcher"' in html, (who, name)
        assert not INLINE_SCRIPT.search(html), (who, name, INLINE_SCRIPT.search(html))
        assert not INLINE_STYLE.search(html), (who, name)
    # Error pages too.
    missing = client_for(world.users["architect"], lang).get(url(lang, "web:dossier", pk=999999))
    assert missing.status_code == 404 and f'dir="{direction}"' in body(missing)


def test_language_switch_keeps_the_page(world):
    client = client_for(world.users["architect"], "fr")
    response = client.post(url("fr", "set_language"), {"language": "ar", "next": "/fr/files/new/"})
    assert response.status_code == 302
    assert response["Location"] == "/ar/files/new/"
    page = client.get("/ar/files/new/")
    assert '<html lang="ar" dir="rtl">' in body(page)


def test_arabic_labels_come_from_the_catalogue(world):
    architect = client_for(world.users["architect"], "ar")
    from .conftest import create_draft_via_web

    pk = create_draft_via_web(architect, world, "ar")
    html = body(architect.get(url("ar", "web:draft", pk=pk)))
    assert "طبيعة الأشغال" in html  # label_ar of "nature"
    assert "بناء جديد" in html  # choice label in Arabic
    html = body(client_for(world.users["architect"], "fr").get(url("fr", "web:draft", pk=pk)))
    assert "Nature des travaux" in html and "Construction nouvelle" in html
