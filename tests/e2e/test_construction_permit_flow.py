"""One construction-permit file carried through its whole life in a real browser, in French and
in Arabic, by the people who do it: the architect files it (commune search, form, draft kept,
documents), the single window returns it with a coded reason, the architect completes and
resubmits, the single window sees what changed and accepts, the three commission members give
their opinions, the owner follows it, the president signs, the architect downloads the signed
PDF (pdfsig says valid) and an anonymous visitor verifies it without seeing the owner's name."""

from __future__ import annotations

import re
import subprocess
import time

import pytest
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from rokhas.catalogue.models import DocumentType, ReturnReason
from rokhas.decisions.models import Decision
from rokhas.demo.seed import DEMO_PIN
from rokhas.dossiers.models import Dossier
from rokhas.review.models import Opinion
from tests.conftest import PETIT_PROJET, make_pdf

from .conftest import ARABIC, assert_language, screenshot, ui_translated

pytestmark = [pytest.mark.e2e]

REFERENCE = re.compile(r"^PC-281\.01\.01-\d{4}-\d{6}$")
COMMUNE_TYPED = {"fr": "Kénitra", "ar": "القنيطرة"}
RESERVE = {"fr": "Respecter un recul de 4 m sur la voie publique.",
           "ar": "احترام تراجع 4 أمتار عن الطريق العمومية."}
RETURN_MESSAGE = {"fr": "Le plan de façade est illisible : merci de le remplacer.",
                  "ar": "تصميم الواجهة غير مقروء، المرجو تعويضه."}
CONDITIONS = {"fr": "Respect des alignements et du recul imposé par l'agence urbaine.",
              "ar": "احترام التصفيف والتراجع الذي فرضته الوكالة الحضرية."}
REPLACED = "plans-architecturaux"


def in_lang(lang: str, fn, *args):
    with translation.override(lang):
        return str(fn(*args))


def pdf_file(tmp_path, name: str, text: str):
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(make_pdf(text=text))
    return path


def flash(page: Page):
    return page.get_by_test_id("messages")


def go_home(page: Page, lang: str) -> None:
    """Back to the dashboard through the menu (unless already there, e.g. just signed in)."""
    home = re.compile(rf"/{lang}/(\?.*)?$")
    if not home.search(page.url):
        page.get_by_test_id("nav-home").click()
    expect(page).to_have_url(home)


def open_file_from_home(page: Page, lang: str, reference: str, section: str) -> None:
    """From the dashboard, open the file through its link in one of the dashboard's tables."""
    go_home(page, lang)
    page.get_by_test_id(section).get_by_role("link", name=reference).click()
    expect(page.get_by_test_id("dossier-head")).to_be_visible()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_construction_permit_flow(lang, e2e, signer_world, tmp_path, pdfsig):
    world = signer_world
    users = world.users
    commune = world.commune
    rtl = lang == "ar"
    started = last = time.monotonic()
    steps: list[str] = []

    def step(label: str) -> None:  # how long each section took (shown with -s)
        nonlocal last
        now = time.monotonic()
        steps.append(f"{label}: {now - last:.1f}s")
        last = now

    # --- 1. The architect creates the application ----------------------------------------
    architect = e2e.login("architect", users["architect"].username, lang)
    expect(architect.get_by_test_id("section-my-files")).to_be_visible()
    architect.get_by_test_id("new-application").click()
    assert_language(architect, lang)
    if rtl and ui_translated("ar"):
        expect(architect.locator("main h1")).to_have_text(ARABIC)
    architect.get_by_test_id("commune-search").fill(COMMUNE_TYPED[lang])
    choice = architect.get_by_test_id(f"commune-{commune.code}")  # the htmx fragment
    expect(choice).to_be_visible()
    expect(architect.get_by_test_id("commune-results")).to_contain_text(commune.name_ar if rtl else commune.name_fr)
    choice.check()
    architect.get_by_test_id("procedure").select_option("permis-construire")
    architect.get_by_test_id("owner-email").fill(users["owner"].email)
    architect.get_by_test_id("title").fill("Villa Bennani")
    architect.get_by_test_id("create-draft").click()
    expect(architect.get_by_test_id("declared-form")).to_be_visible()
    dossier = Dossier.objects.get(applicant=users["architect"])
    assert dossier.status == Dossier.Status.DRAFT and dossier.owner == users["owner"]
    assert dossier.commune == commune
    expect(architect.get_by_test_id("draft-head")).to_contain_text(commune.name_ar if rtl else commune.name_fr)

    step("§1")
    # --- 2. Fills the form, saves the draft, leaves and comes back: the draft is kept ------
    form = architect.get_by_test_id("declared-form")
    form.get_by_test_id("field-nature").select_option(PETIT_PROJET["nature"])
    form.get_by_test_id("field-use").select_option(PETIT_PROJET["use"])
    for name in ("land_title", "address", "land_area_m2", "floor_area_m2", "levels", "description"):
        form.get_by_test_id(f"field-{name}").fill(PETIT_PROJET[name])
    architect.get_by_test_id("save-draft").click()
    expect(flash(architect)).to_contain_text(in_lang(lang, translation.gettext, "Draft saved."))
    class_name = in_lang(lang, lambda: dossier.procedure_version.classes.get(code="petits").name)
    expect(architect.get_by_test_id("class-name")).to_have_text(class_name)

    go_home(architect, lang)
    architect.get_by_test_id(f"row-{dossier.pk}").get_by_role("link").click()
    form = architect.get_by_test_id("declared-form")
    expect(form.get_by_test_id("field-land_title")).to_have_value(PETIT_PROJET["land_title"])
    expect(form.get_by_test_id("field-address")).to_have_value(PETIT_PROJET["address"])
    expect(form.get_by_test_id("field-levels")).to_have_value(PETIT_PROJET["levels"])
    expect(form.get_by_test_id("field-nature")).to_have_value(PETIT_PROJET["nature"])
    expect(form.get_by_test_id("field-title")).to_have_value("Villa Bennani")

    step("§2")
    # --- 3. Uploads every required document, one by one, as PDF files ---------------------
    missing = architect.locator("[data-testid=documents-panel] li.document.is-missing")
    expected_codes = {r.document_type.code for r in dossier.procedure_version.required_documents.all()
                      if r.mandatory and (r.project_class is None or r.project_class.code == "petits")
                      and not r.condition}  # a new construction: no document of the other natures
    uploaded = []
    for _ in range(len(expected_codes) + 1):
        if missing.count() == 0:
            break
        code = missing.first.get_attribute("data-testid").removeprefix("doc-")
        row = architect.get_by_test_id(f"doc-{code}")
        row.locator("input[type=file]").set_input_files(pdf_file(tmp_path, code, f"{code}-v1"))
        row.get_by_test_id(f"upload-{code}").locator("button[type=submit]").click()
        expect(architect.get_by_test_id(f"doc-{code}").locator(".doc-version")).to_have_count(1)
        uploaded.append(code)
    assert set(uploaded) == expected_codes
    expect(missing).to_have_count(0)

    step("§3")
    # --- 4. Submits: the number and the legal deadline are shown ---------------------------
    architect.get_by_test_id("submit").click()
    expect(architect.get_by_test_id("dossier-head")).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.SUBMITTED and REFERENCE.match(dossier.reference)
    reference = dossier.reference
    expect(architect.get_by_test_id("reference")).to_have_text(reference)
    expect(flash(architect)).to_contain_text(reference)
    due = in_lang(lang, date_format, dossier.legal_due_date, "DATE_FORMAT")
    expect(architect.get_by_test_id("clock-due")).to_have_text(due)
    expect(architect.get_by_test_id("clock-rule")).to_have_text(
        in_lang(lang, lambda: dossier.project_class.deadline_source))
    expect(architect.get_by_test_id("class")).to_contain_text(class_name)
    expect(architect.get_by_test_id("receipt-1")).to_be_visible()

    step("§4")
    # --- 5. The single window finds it in the worklist and returns it with a coded reason --
    guichet = e2e.login("guichet", users["guichet"].username, lang)
    worklist = guichet.get_by_test_id("worklist")
    expect(worklist.get_by_test_id(f"row-{dossier.pk}")).to_contain_text(due)
    worklist.get_by_role("link", name=reference).click()
    expect(guichet.get_by_test_id("panel-check")).to_be_visible()
    guichet.get_by_test_id("reason-doc-illegible").locator("input").check()
    guichet.get_by_test_id("return-message").fill(RETURN_MESSAGE[lang])
    guichet.get_by_test_id("return").click()
    expect(guichet.get_by_test_id("return-reasons")).to_be_visible()
    expect(guichet.get_by_test_id("panel-check")).to_have_count(0)
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.RETURNED

    step("§5")
    # --- 6. The architect reads the reason, replaces a document and resubmits --------------
    go_home(architect, lang)
    architect.get_by_test_id(f"row-{dossier.pk}").get_by_role("link").click()
    banner = architect.get_by_test_id("return-reasons")
    expect(banner).to_be_visible()
    reason_label = in_lang(lang, lambda: ReturnReason.objects.get(code="doc-illegible").label)
    expect(banner.get_by_test_id("reason-doc-illegible")).to_contain_text(reason_label)
    expect(banner.get_by_test_id("return-message")).to_have_text(RETURN_MESSAGE[lang])
    row = architect.get_by_test_id(f"doc-{REPLACED}")
    row.locator("input[type=file]").set_input_files(pdf_file(tmp_path, f"{REPLACED}-v2", "facade lisible"))
    row.get_by_test_id(f"upload-{REPLACED}").locator("button[type=submit]").click()
    expect(architect.get_by_test_id(f"doc-{REPLACED}").locator("details.older")).to_be_visible()
    architect.get_by_test_id("submit").click()
    expect(architect.get_by_test_id("dossier-head")).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.SUBMITTED and dossier.reference == reference
    expect(architect.get_by_test_id("round-2")).to_be_visible()

    step("§6")
    # --- 7. The single window sees what changed, and accepts -------------------------------
    guichet.reload()
    changes = guichet.get_by_test_id("changes-2")
    expect(changes).to_be_visible()
    expect(changes).to_contain_text(in_lang(lang, lambda: DocumentType.objects.get(code=REPLACED).name))
    expect(changes).to_contain_text(in_lang(lang, translation.pgettext, "document", "replaced"))
    guichet.get_by_test_id("accept").click()
    expect(guichet.get_by_test_id("panel-check")).to_have_count(0)
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.IN_REVIEW

    step("§7")
    # --- 8. Each commission member gives an opinion (petit projet: three bodies) -----------
    reviewers = [("commune_reviewer", "commune", Opinion.Verdict.FAVORABLE, ""),
                 ("urban_agency", "urban_agency", Opinion.Verdict.FAVORABLE_RESERVES, RESERVE[lang]),
                 ("local_authority", "local_authority", Opinion.Verdict.FAVORABLE, "")]
    assert {c.organisation.code for c in dossier.consultations.all()} == {world.orgs[o].code for _, o, _, _ in reviewers}
    for key, org, verdict, text in reviewers:
        member = e2e.login(key, users[key].username, lang)
        open_file_from_home(member, lang, reference, "consultations")
        expect(member.get_by_test_id("panel-opinion")).to_be_visible()
        member.get_by_test_id(f"verdict-{verdict}").locator("input").check()
        if text:
            member.get_by_test_id("opinion-text").fill(text)
        member.get_by_test_id("give-opinion").click()
        given = member.get_by_test_id(f"consultation-{world.orgs[org].code}-2")
        expect(given.get_by_test_id("verdict")).to_have_text(in_lang(lang, lambda v=verdict: v.label))

    step("§8")
    # --- 9. The owner follows the file: status, history and every opinion -------------------
    owner = e2e.login("owner", users["owner"].username, lang)
    open_file_from_home(owner, lang, reference, "my-files")
    expect(owner.get_by_test_id("status")).to_have_text(in_lang(lang, lambda: Dossier.Status.IN_REVIEW.label))
    for action in ("dossier.submitted", "dossier.returned", "dossier.resubmitted", "dossier.accepted"):
        expect(owner.get_by_test_id(f"event-{action}").first).to_be_visible()
    expect(owner.get_by_test_id("event-opinion.given")).to_have_count(3)
    for _key, org, verdict, text in reviewers:
        consultation = owner.get_by_test_id(f"consultation-{world.orgs[org].code}-2")
        expect(consultation).to_contain_text(in_lang(lang, lambda o=org: world.orgs[o].name))
        expect(consultation.get_by_test_id("verdict")).to_have_text(in_lang(lang, lambda v=verdict: v.label))
        if text:
            expect(consultation).to_contain_text(text)
    expect(owner.get_by_test_id("panel-decide")).to_have_count(0)
    expect(owner.get_by_test_id("panel-opinion")).to_have_count(0)

    step("§9")
    # --- 10. The president grants the permit with conditions, and signs with the PIN -------
    president = e2e.login("president", users["president"].username, lang)
    open_file_from_home(president, lang, reference, "to-decide")
    panel = president.get_by_test_id("panel-decide")
    expect(panel.get_by_test_id("decide-opinions").locator("li")).to_have_count(3)
    president.get_by_test_id("outcome-granted").locator("input").check()
    president.get_by_test_id("decide-conditions").fill(CONDITIONS[lang])
    president.get_by_test_id("decide-pin").fill(DEMO_PIN)
    president.get_by_test_id("decide").click()
    expect(president.get_by_test_id("decision")).to_be_visible(timeout=60_000)
    decision = Decision.objects.get(dossier=dossier)
    assert decision.outcome == Decision.Outcome.GRANTED
    expect(president.get_by_test_id("verification-code")).to_have_text(decision.verification_code)
    expect(president.get_by_test_id("decision")).to_contain_text(CONDITIONS[lang])

    step("§10")
    # --- 11. The architect downloads the signed decision: pdfsig says it is valid -----------
    go_home(architect, lang)
    architect.get_by_test_id(f"row-{dossier.pk}").get_by_role("link").click()
    expect(architect.get_by_test_id("decision")).to_be_visible()
    expect(architect.get_by_test_id("status")).to_have_text(in_lang(lang, lambda: Dossier.Status.GRANTED.label))
    with architect.expect_download() as download_info:
        architect.get_by_test_id("decision-download").click()
    download = download_info.value
    assert download.suggested_filename == f"decision-{reference}.pdf"
    signed = tmp_path / "downloaded-decision.pdf"
    download.save_as(signed)
    assert signed.read_bytes().startswith(b"%PDF")
    out = subprocess.run([pdfsig, str(signed)], capture_output=True, text=True, timeout=60)
    assert "Signature is Valid" in out.stdout, out.stdout + out.stderr
    screenshot(architect, f"flow-{lang}-file-page-architect")
    owner.reload()
    expect(owner.get_by_test_id("decision")).to_be_visible()
    screenshot(owner, f"flow-{lang}-file-page-owner")

    step("§11")
    # --- 12. Anyone verifies it by its code: authentic, and no personal data ---------------
    visitor = e2e.person("anonymous", lang)
    visitor.goto(e2e.url(f"/{lang}/verify/{decision.verification_code}/"))
    assert_language(visitor, lang)
    result = visitor.get_by_test_id("verify-result")
    expect(result).to_have_attribute("data-authentic", "yes")
    expect(visitor.get_by_test_id("verify-authentic")).to_be_visible()
    expect(visitor.get_by_test_id("verify-reference")).to_have_text(reference)
    if ui_translated(lang):
        with translation.override(lang):
            expect(visitor.get_by_test_id("verify-authentic")).to_have_text(translation.gettext("Authentic"))
    page_text = visitor.locator("body").inner_text()
    owner_user = users["owner"]
    for private in (owner_user.first_name, owner_user.last_name, owner_user.get_full_name(), owner_user.cin,
                    owner_user.email, PETIT_PROJET["address"]):
        assert private not in page_text, f"the public page shows {private!r}"
    expect(visitor.get_by_test_id("current-user")).to_have_count(0)

    # --- Every page everyone saw was in the run's language and direction -------------------
    seen = e2e.check_every_page(lang)
    step("§12")
    print(f"[{lang}] {time.monotonic() - started:.1f}s: " + ", ".join(steps))
    assert seen >= 30, f"only {seen} pages were logged"
