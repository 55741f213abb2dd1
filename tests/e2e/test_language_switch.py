"""The language switcher in the header: the same page comes back in the other language, and
the page's direction flips (Arabic right to left, French left to right); the choice sticks."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from .conftest import ARABIC, assert_language, ui_translated

pytestmark = [pytest.mark.e2e]


def heading(lang: str) -> str:
    with translation.override(lang):
        return translation.gettext("Verify a permit")


def test_switcher_flips_direction_on_a_public_page(e2e, world):
    page = e2e.person("visitor", "fr")
    page.goto(e2e.url("/fr/verify/"))
    assert_language(page, "fr")
    expect(page.get_by_test_id("lang-fr")).to_have_attribute("aria-current", "true")
    expect(page.locator("main h1")).to_have_text(heading("fr"))

    page.get_by_test_id("lang-ar").click()
    expect(page).to_have_url(re.compile(r"/ar/verify/$"))
    assert_language(page, "ar")
    expect(page.get_by_test_id("lang-ar")).to_have_attribute("aria-current", "true")
    expect(page.locator("main h1")).to_have_text(heading("ar"))
    if ui_translated("ar"):
        expect(page.locator("main h1")).to_have_text(ARABIC)
    # The layout really is mirrored: the brand sits on the right in Arabic.
    brand, switcher = page.get_by_test_id("brand").bounding_box(), page.get_by_test_id("language-switcher").bounding_box()
    assert brand["x"] > switcher["x"]

    # The choice sticks: the bare site root now goes to Arabic.
    page.goto(e2e.url("/"))
    assert_language(page, "ar")
    expect(page).to_have_url(re.compile(r"/ar/$"))

    page.goto(e2e.url("/ar/verify/"))
    page.get_by_test_id("lang-fr").click()
    expect(page).to_have_url(re.compile(r"/fr/verify/$"))
    assert_language(page, "fr")
    brand, switcher = page.get_by_test_id("brand").bounding_box(), page.get_by_test_id("language-switcher").bounding_box()
    assert brand["x"] < switcher["x"]


def test_switcher_keeps_a_signed_in_user_on_the_same_file(e2e, world, file_dossier):
    dossier = file_dossier()
    page = e2e.login("architect", world.users["architect"].username, "fr")
    page.goto(e2e.url(f"/fr/files/{dossier.pk}/"))
    expect(page.get_by_test_id("reference")).to_have_text(dossier.reference)
    expect(page.get_by_test_id("dossier-head")).to_contain_text(world.commune.name_fr)

    page.get_by_test_id("lang-ar").click()
    expect(page).to_have_url(re.compile(rf"/ar/files/{dossier.pk}/$"))
    assert_language(page, "ar")
    expect(page.get_by_test_id("reference")).to_have_text(dossier.reference)
    expect(page.get_by_test_id("dossier-head")).to_contain_text(world.commune.name_ar)
    expect(page.get_by_test_id("current-user")).to_be_visible()  # still signed in

    page.get_by_test_id("lang-fr").click()
    expect(page).to_have_url(re.compile(rf"/fr/files/{dossier.pk}/$"))
    assert_language(page, "fr")
