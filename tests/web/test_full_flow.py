"""The whole life of a file through the web pages, in French and in Arabic: draft, documents,
submit (twice, one number), return with reasons, resubmission with changes, acceptance,
opinions, the owner's view, the signed decision, and the public verification."""

from __future__ import annotations

import pytest

from rokhas.decisions.models import Decision
from rokhas.demo.seed import DEMO_PIN
from rokhas.dossiers.models import Dossier, DossierCounter
from tests.conftest import PETIT_PROJET, make_pdf, upload

from .conftest import (
    body,
    client_for,
    create_draft_via_web,
    reviewer_for,
    save_draft_via_web,
    token_of,
    upload_all_via_web,
    url,
)

pytestmark = pytest.mark.django_db(transaction=False)

EXPECT = {
    "fr": {"class": "Petits projets", "levels": "Nombre de niveaux", "org": "Agence urbaine"},
    "ar": {"class": "المشاريع الصغرى", "levels": "عدد الطوابق", "org": "الوكالة الحضرية"},
}


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_full_flow_through_the_pages(lang, signer_world, django_capture_on_commit_callbacks):
    world = signer_world
    architect = client_for(world.users["architect"], lang)

    # 1. New application -> draft page.
    new_page = architect.get(url(lang, "web:new"))
    assert new_page.status_code == 200
    assert f'dir="{"rtl" if lang == "ar" else "ltr"}"' in body(new_page)
    pk = create_draft_via_web(architect, world, lang)
    dossier = Dossier.objects.get(pk=pk)
    assert dossier.status == Dossier.Status.DRAFT and dossier.owner == world.users["owner"]

    # 2. Save the declared data; the draft is kept and the class is shown with its reason.
    save_draft_via_web(architect, pk, PETIT_PROJET, lang)
    page = body(architect.get(url(lang, "web:draft", pk=pk)))
    assert 'data-testid="class-name"' in page
    dossier.refresh_from_db()
    assert dossier.declared["levels"] == 2
    assert dossier.project_class is None  # only classified for real on submission

    # 3. Upload every required document (PDF).
    codes = upload_all_via_web(architect, pk, lang)
    page = body(architect.get(url(lang, "web:draft", pk=pk)))
    for code in codes:
        assert f'data-testid="doc-{code}"' in page
    assert "SHA-256" in page

    # 4. Submit twice with the same token: one file, one number.
    token = token_of(architect, pk, lang)
    with django_capture_on_commit_callbacks(execute=True):
        first = architect.post(url(lang, "web:submit", pk=pk), {"token": token})
        second = architect.post(url(lang, "web:submit", pk=pk), {"token": token})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == url(lang, "web:dossier", pk=pk)
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.SUBMITTED and dossier.reference
    assert Dossier.objects.filter(applicant=world.users["architect"]).count() == 1
    assert DossierCounter.objects.get(commune=world.commune).last == 1
    detail = architect.get(url(lang, "web:dossier", pk=pk), follow=False)
    page = body(detail)
    assert dossier.reference in page
    assert EXPECT[lang]["class"] in page

    # The receipt downloads as a PDF attachment.
    receipt = architect.get(url(lang, "web:receipt", pk=pk, number=1))
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    assert receipt["Content-Disposition"].startswith("attachment")
    assert receipt.content.startswith(b"%PDF")

    # 5. The guichet returns the file with coded reasons and a message.
    guichet = client_for(world.users["guichet"], lang)
    page = body(guichet.get(url(lang, "web:dossier", pk=pk)))
    assert 'data-testid="panel-check"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = guichet.post(url(lang, "web:return", pk=pk), {
            "reasons": ["doc-illegible", "data-mismatch"], "message": "Plan de façade illisible; niveaux à corriger."})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.RETURNED

    # 6. The architect sees the reasons and the message, corrects and resubmits.
    page = body(architect.get(url(lang, "web:draft", pk=pk)))
    assert 'data-testid="return-reasons"' in page
    assert 'data-testid="reason-doc-illegible"' in page
    assert "Plan de façade illisible" in page
    save_draft_via_web(architect, pk, {**PETIT_PROJET, "levels": "3"}, lang)
    response = architect.post(url(lang, "web:upload", pk=pk), {
        "document_type": "plans-architecturaux", "file": upload("plans.pdf", make_pdf(text="corrected"))})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = architect.post(url(lang, "web:submit", pk=pk), {"token": token_of(architect, pk, lang)})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.SUBMITTED
    page = body(architect.get(url(lang, "web:dossier", pk=pk)))
    assert 'data-testid="changes-2"' in page
    changes = page.split('data-testid="changes-2"')[1].split("</div>")[0]
    assert EXPECT[lang]["levels"] in changes
    assert "plans-architecturaux" not in changes  # shown by its name, not its code

    # 7. The guichet accepts and dispatches.
    with django_capture_on_commit_callbacks(execute=True):
        response = guichet.post(url(lang, "web:accept", pk=pk))
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.IN_REVIEW
    consultations = list(dossier.consultations.select_related("organisation"))
    assert consultations

    # 8. Each commission member sees the file in their worklist and gives an opinion.
    for i, consultation in enumerate(consultations):
        reviewer = client_for(reviewer_for(world, consultation.organisation), lang)
        home = body(reviewer.get(url(lang, "web:home")))
        assert f'data-testid="consultation-{consultation.pk}"' in home
        verdict = "favorable" if i % 2 == 0 else "favorable_reserves"
        with django_capture_on_commit_callbacks(execute=True):
            response = reviewer.post(url(lang, "web:opinion", pk=pk), {
                "verdict": verdict, "text": "" if verdict == "favorable" else f"Réserve n°{i}"})
        assert response.status_code == 302, body(response)[:2000]
    assert all(c.opinions.exists() for c in consultations)

    # 9. The owner sees everything: status, opinions of every organisation, the history.
    owner = client_for(world.users["owner"], lang)
    page = body(owner.get(url(lang, "web:dossier", pk=pk)))
    for consultation in consultations:
        assert consultation.organisation.name_ar in page if lang == "ar" else consultation.organisation.name_fr in page
    assert "Réserve n°1" in page or len(consultations) == 1
    assert 'data-testid="event-dossier.returned"' in page
    assert 'data-testid="event-opinion.given"' in page

    # 10. The president decides with the PIN, and downloads the signed PDF.
    president = client_for(world.users["president"], lang)
    assert f'data-testid="row-{pk}"' in body(president.get(url(lang, "web:home")))
    page = body(president.get(url(lang, "web:dossier", pk=pk)))
    assert 'data-testid="panel-decide"' in page and 'autocomplete="off"' in page
    assert 'type="password"' in page
    wrong = president.post(url(lang, "web:decide", pk=pk), {"outcome": "granted", "pin": "000000"})
    assert wrong.status_code == 200 and 'data-testid="errors-pin"' in body(wrong)
    with django_capture_on_commit_callbacks(execute=True):
        response = president.post(url(lang, "web:decide", pk=pk), {
            "outcome": "granted", "conditions": "Respect des alignements.", "pin": DEMO_PIN})
    assert response.status_code == 302, body(response)[:3000]
    decision = Decision.objects.get(dossier=dossier)
    download = owner.get(url(lang, "web:decision", pk=pk))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    signed = b"".join(download.streaming_content)
    assert signed.startswith(b"%PDF")

    # 11. Public verification by code: the reference, not the owner's name nor any CIN.
    anonymous = client_for(None, lang)
    page = body(anonymous.get(url(lang, "verify-code", code=decision.verification_code)))
    assert dossier.reference in page
    assert 'data-authentic="yes"' in page
    owner_user = world.users["owner"]
    for private in (owner_user.last_name, owner_user.first_name, owner_user.cin, world.users["architect"].cin,
                    "Bennani", PETIT_PROJET["address"]):
        assert private not in page
    assert 'name="robots" content="noindex' in page

    # 12. Public verification by upload: the signed PDF is authentic, one flipped byte is not.
    page = body(anonymous.post(url(lang, "verify"), {"pdf": upload("decision.pdf", signed)}))
    assert 'data-authentic="yes"' in page and dossier.reference in page
    tampered = bytearray(signed)
    middle = len(tampered) // 2
    tampered[middle] = (tampered[middle] + 1) % 256
    page = body(anonymous.post(url(lang, "verify"), {"pdf": upload("decision.pdf", bytes(tampered))}))
    assert 'data-authentic="no"' in page
    assert 'data-testid="verify-not-authentic"' in page
