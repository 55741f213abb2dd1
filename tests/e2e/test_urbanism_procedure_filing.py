"""An architect files a parcel split (morcellement, not a construction permit) in a real
browser, up to submission: the procedure's own form, its class (grands projets) and why, its
documents, the number and the legal deadline with the rule that sets it."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from rokhas.demo.samples import SAMPLES
from rokhas.dossiers.models import Dossier
from tests.conftest import make_pdf

from .conftest import assert_language

pytestmark = [pytest.mark.e2e]


def in_lang(lang, fn, *args):
    with translation.override(lang):
        return str(fn(*args))


@pytest.mark.parametrize("lang", ["fr"])
def test_parcel_split_filed_up_to_submission(lang, e2e, world, tmp_path):
    architect_user = world.users["architect"]
    _who, title, declared = SAMPLES["morceler"]
    page = e2e.login("architect", architect_user.username, lang)
    page.get_by_test_id("new-application").click()
    assert_language(page, lang)
    page.get_by_test_id("commune-search").fill("Kénitra")
    page.get_by_test_id(f"commune-{world.commune.code}").check()
    page.get_by_test_id("procedure").select_option("morceler")
    page.get_by_test_id("owner-email").fill(world.users["owner"].email)
    page.get_by_test_id("title").fill(title)
    page.get_by_test_id("create-draft").click()

    form = page.get_by_test_id("declared-form")
    expect(form).to_be_visible()
    for name in ("land_title", "address", "land_area_m2", "parts", "reason"):
        form.get_by_test_id(f"field-{name}").fill(str(declared[name]))
    page.get_by_test_id("save-draft").click()
    dossier = Dossier.objects.get(applicant=architect_user)
    grands = dossier.procedure_version.classes.get(code="grands")
    expect(page.get_by_test_id("class-name")).to_have_text(in_lang(lang, lambda: grands.name))

    missing = page.locator("[data-testid=documents-panel] li.document.is-missing")
    uploaded = []
    for _ in range(8):
        if missing.count() == 0:
            break
        code = missing.first.get_attribute("data-testid").removeprefix("doc-")
        path = tmp_path / f"{code}.pdf"
        path.write_bytes(make_pdf(text=code))
        row = page.get_by_test_id(f"doc-{code}")
        row.locator("input[type=file]").set_input_files(path)
        row.get_by_test_id(f"upload-{code}").locator("button[type=submit]").click()
        expect(page.get_by_test_id(f"doc-{code}").locator(".doc-version")).to_have_count(1)
        uploaded.append(code)
    assert set(uploaded) == {"certificat-propriete", "plan-situation", "plan-morcellement"}

    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("dossier-head")).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.SUBMITTED
    assert re.match(r"^MR-281\.01\.01-\d{4}-\d{6}$", dossier.reference)
    expect(page.get_by_test_id("reference")).to_have_text(dossier.reference)
    expect(page.get_by_test_id("clock-due")).to_have_text(in_lang(lang, date_format, dossier.legal_due_date,
                                                                  "DATE_FORMAT"))
    expect(page.get_by_test_id("clock-rule")).to_have_text(in_lang(lang, lambda: grands.deadline_source))
    expect(page.get_by_test_id("receipt-1")).to_be_visible()
    assert e2e.check_every_page(lang) >= 5
