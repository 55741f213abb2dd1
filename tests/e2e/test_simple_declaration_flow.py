"""A shopkeeper declares an activity in a real browser: finds it by searching its name (French
or Arabic), sees that it is a simple declaration, files, and gets the receipt at once; the file
is closed without any examination."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from rokhas.activities.models import Regime
from rokhas.dossiers.models import Dossier
from tests.conftest import make_pdf

from .conftest import assert_language

pytestmark = [pytest.mark.e2e]

TYPED = {"fr": "epicerie", "ar": "بقالة"}
COMMUNE_TYPED = {"fr": "Kénitra", "ar": "القنيطرة"}


def in_lang(lang, fn, *args):
    with translation.override(lang):
        return str(fn(*args))


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_simple_declaration_found_by_search(lang, e2e, world, tmp_path):
    owner_user = world.users["owner"]
    page = e2e.login("owner", owner_user.username, lang)
    page.get_by_test_id("new-application").click()
    assert_language(page, lang)
    page.get_by_test_id("commune-search").fill(COMMUNE_TYPED[lang])
    page.get_by_test_id(f"commune-{world.commune.code}").check()

    # The activity search (htmx): the regime and what follows are shown before anything is filed.
    page.get_by_test_id("activity-search").fill(TYPED[lang])
    choice = page.get_by_test_id("activity-epicerie")
    expect(choice).to_be_visible()
    expect(page.get_by_test_id("regime-epicerie")).to_have_text(in_lang(lang, lambda: Regime.DECLARATION.label))
    expect(page.get_by_test_id("follows-epicerie")).to_contain_text(
        in_lang(lang, translation.gettext, "You receive your receipt as soon as you file: the file is not examined."))
    choice.check()
    page.get_by_test_id("owner-email").fill(owner_user.email)
    page.get_by_test_id("title").fill("Épicerie Al Baraka")
    page.get_by_test_id("create-draft").click()

    form = page.get_by_test_id("declared-form")
    expect(form).to_be_visible()
    dossier = Dossier.objects.get(applicant=owner_user)
    assert dossier.procedure.code == "activite-declaration"
    expect(form.get_by_test_id("field-activity")).to_have_value("epicerie")
    expect(page.get_by_test_id("declaration-only")).to_be_visible()
    form.get_by_test_id("field-premises_address").fill("Rue 14, n° 3, Saknia")
    form.get_by_test_id("field-premises_area_m2").fill("24")
    page.get_by_test_id("save-draft").click()
    expect(page.get_by_test_id("messages")).to_contain_text(in_lang(lang, translation.gettext, "Draft saved."))

    missing = page.locator("[data-testid=documents-panel] li.document.is-missing")
    for _ in range(5):
        if missing.count() == 0:
            break
        code = missing.first.get_attribute("data-testid").removeprefix("doc-")
        path = tmp_path / f"{code}.pdf"
        path.write_bytes(make_pdf(text=code))
        row = page.get_by_test_id(f"doc-{code}")
        row.locator("input[type=file]").set_input_files(path)
        row.get_by_test_id(f"upload-{code}").locator("button[type=submit]").click()
        expect(page.get_by_test_id(f"doc-{code}").locator(".doc-version")).to_have_count(1)
    expect(missing).to_have_count(0)

    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("dossier-head")).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.DECLARED
    assert re.match(r"^DA-281\.01\.01-\d{4}-\d{6}$", dossier.reference)
    expect(page.get_by_test_id("reference")).to_have_text(dossier.reference)
    expect(page.get_by_test_id("status")).to_have_text(in_lang(lang, lambda: Dossier.Status.DECLARED.label))
    expect(page.get_by_test_id("receipt-1")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_test_id("receipt-1").click()
    saved = tmp_path / "receipt.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    assert not dossier.consultations.exists()
    assert e2e.check_every_page(lang) >= 5
