"""An anonymous visitor uploads a signed decision on the public verification page: the genuine
PDF is authentic; a copy with one byte changed inside the signed bytes is not. The decided file
is made through the domain services (not the browser) to keep the test short; the signing runs
off Playwright's event loop (see conftest.off_the_loop)."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from playwright.sync_api import expect
from pyhanko.pdf_utils.reader import PdfFileReader

from rokhas.decisions.services import decide
from rokhas.demo.seed import DEMO_PIN
from rokhas.dossiers import services
from rokhas.review.services import give_opinion

from .conftest import assert_language, off_the_loop

pytestmark = [pytest.mark.e2e]


def decided_file(world, file_dossier):
    dossier = file_dossier()
    services.accept_and_dispatch(actor=world.users["guichet"], dossier=dossier)
    for key in ("commune_reviewer", "urban_agency", "local_authority"):
        give_opinion(actor=world.users[key], dossier=dossier, verdict="favorable", text="")
    decision = off_the_loop(decide, actor=world.users["president"], dossier=dossier, outcome="granted",
                            conditions="Respect des alignements.", pin=DEMO_PIN)
    with default_storage.open(decision.storage_name, "rb") as fh:
        return dossier, decision, fh.read()


def tamper(pdf: bytes) -> bytes:
    """Change one byte of the page content, inside the range the signature covers."""
    import io

    (signature,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    start, length = int(signature.byte_range[0]), int(signature.byte_range[1])
    assert start == 0 and length > 1000
    changed = bytearray(pdf)
    at = length // 2
    changed[at] ^= 0x01
    return bytes(changed)


def upload_and_check(page, path):
    page.get_by_test_id("verify-pdf").set_input_files(path)
    page.get_by_test_id("verify-pdf-submit").click()
    result = page.get_by_test_id("verify-result")
    expect(result).to_be_visible()
    return result


def test_tampered_copy_is_not_authentic_the_genuine_one_is(e2e, signer_world, file_dossier, tmp_path):
    dossier, decision, genuine = decided_file(signer_world, file_dossier)
    (tmp_path / "decision.pdf").write_bytes(genuine)
    (tmp_path / "decision-copy.pdf").write_bytes(tamper(genuine))

    visitor = e2e.person("anonymous", "fr")
    visitor.goto(e2e.url("/fr/verify/"))
    assert_language(visitor, "fr")
    expect(visitor.get_by_test_id("nav-login")).to_be_visible()  # nobody is signed in

    result = upload_and_check(visitor, tmp_path / "decision-copy.pdf")
    expect(result).to_have_attribute("data-authentic", "no")
    expect(visitor.get_by_test_id("verify-not-authentic")).to_be_visible()
    expect(visitor.get_by_test_id("verify-authentic")).to_have_count(0)
    expect(visitor.get_by_test_id("verify-reference")).to_have_count(0)  # nothing is vouched for

    result = upload_and_check(visitor, tmp_path / "decision.pdf")
    expect(result).to_have_attribute("data-authentic", "yes")
    expect(visitor.get_by_test_id("verify-authentic")).to_be_visible()
    expect(visitor.get_by_test_id("verify-not-authentic")).to_have_count(0)
    expect(visitor.get_by_test_id("verify-reference")).to_have_text(dossier.reference)
    expect(visitor.get_by_test_id("signature-report")).to_be_visible()
    text = visitor.locator("body").inner_text()
    owner = signer_world.users["owner"]
    for private in (owner.first_name, owner.last_name, owner.cin, owner.email):
        assert private not in text
    assert decision.verification_code in text

    e2e.check_every_page("fr")
