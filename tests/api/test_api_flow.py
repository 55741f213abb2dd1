"""The whole flow through the API: filing, return and resubmission, acceptance, opinions,
a signed decision, and its public verification."""

import hashlib

from rokhas.demo.seed import DEMO_PIN
from tests.api.conftest import client_for, upload, url
from tests.conftest import PETIT_PROJET, make_pdf


def test_whole_flow_through_the_api(signer_world, clients, django_capture_on_commit_callbacks, mailoutbox):
    world = signer_world
    architect, guichet, president = clients["architect"], clients["guichet"], clients["president"]

    # The applicant starts a draft, declares the project and sees the class with its reasons.
    r = architect.post(url("dossier-list"), {"commune": world.commune.code, "procedure": "permis-construire",
                                             "owner": world.users["owner"].email, "title": "Villa Bennani"},
                       format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["status"] == "draft" and r.json()["reference"] is None
    r = architect.patch(url("dossier-detail", pk=pk), {"declared": PETIT_PROJET}, format="json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["classification"]["project_class"]["code"] == "petits"
    assert body["classification"]["provisional"] is True
    assert body["permissions"]["edit"] and body["permissions"]["submit"]
    missing = [d["code"] for d in body["missing_documents"]]
    assert "plans-architecturaux" in missing and "photos-terrain" not in missing  # photos are optional

    # Submitting with documents missing says which.
    r = architect.post(url("dossier-submit", pk=pk), HTTP_IDEMPOTENCY_KEY="first")
    assert r.status_code == 400
    assert "non_field_errors" in r.json()

    versions = {}
    for code in missing:
        r = upload(architect, pk, code)
        assert r.status_code == 201, r.content
        versions[code] = r.json()
    assert architect.get(url("dossier-detail", pk=pk)).json()["missing_documents"] == []

    # The content downloads intact.
    v = versions["plans-architecturaux"]
    r = architect.get(v["download_url"])
    assert r.status_code == 200
    assert hashlib.sha256(b"".join(r.streaming_content)).hexdigest() == v["sha256"]

    with django_capture_on_commit_callbacks(execute=True):
        r = architect.post(url("dossier-submit", pk=pk), HTTP_IDEMPOTENCY_KEY="first")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "submitted" and body["reference"].startswith("PC-")
    assert body["classification"]["provisional"] is False
    assert body["clock"]["due_date"] and body["clock"]["total_days"] == 15 and body["clock"]["source"]
    assert body["clock"]["suspended"] is False and body["clock"]["overdue"] is False
    assert [t["action"] for t in body["timeline"]][-2:] == ["dossier.submitted", "clock.started"]
    assert mailoutbox, "the applicant and the owner are told"

    r = architect.get(body["receipt_url"])
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")

    # The single window finds it in its worklist and returns it with coded reasons.
    listed = guichet.get(url("dossier-list"), {"role": "guichet"}).json()
    assert [d["id"] for d in listed["results"]] == [pk]
    reasons = {r["code"] for r in client_for().get(url("return-reason-list")).json()}
    assert "doc-illegible" in reasons
    r = guichet.post(url("dossier-return", pk=pk), {"reasons": ["doc-illegible"], "message": "Plans illisibles"},
                     format="json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "returned" and body["clock"]["suspended"] is True
    assert body["rounds"][0]["return_reasons"][0]["code"] == "doc-illegible"
    assert body["rounds"][0]["return_message"] == "Plans illisibles"
    assert guichet.get(url("dossier-list"), {"role": "guichet"}).json()["results"] == []

    # The applicant replaces the plans, corrects the data and resubmits: round 2.
    r = upload(architect, pk, "plans-architecturaux", make_pdf(pages=2, text="plans v2"))
    assert r.status_code == 201 and r.json()["number"] == 2
    r = architect.patch(url("dossier-detail", pk=pk), {"declared": {"description": "Villa R+1, plans lisibles"}},
                        format="json")
    assert r.status_code == 200
    assert r.json()["declared"]["land_title"] == PETIT_PROJET["land_title"]  # a merge, not a replacement
    with django_capture_on_commit_callbacks(execute=True):
        r = architect.post(url("dossier-submit", pk=pk), HTTP_IDEMPOTENCY_KEY="second")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "submitted" and len(body["rounds"]) == 2
    changes = architect.get(body["rounds"][1]["changes_url"]).json()
    assert changes["documents"] == {"plans-architecturaux": "replaced"}
    assert changes["fields"]["description"] == ["Villa R+1", "Villa R+1, plans lisibles"]

    # Accepted and dispatched to the commission of a small project.
    r = guichet.post(url("dossier-accept", pk=pk))
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "in_review"
    kinds = {c["organisation"]["kind"] for c in body["consultations"]}
    assert kinds == {"commune", "urban_agency", "local_authority"}

    # Each consulted body answers.
    for key, verdict, text in (("commune_reviewer", "favorable", ""),
                               ("urban_agency", "favorable_reserves", "Respecter le retrait de 3 m."),
                               ("local_authority", "favorable", "")):
        reviewer = clients[key]
        assert [d["id"] for d in reviewer.get(url("dossier-list"), {"role": "review"}).json()["results"]] == [pk]
        r = reviewer.post(url("dossier-opinion", pk=pk), {"verdict": verdict, "text": text}, format="json")
        assert r.status_code == 201, r.content
        assert r.json()["verdict"] == verdict
    body = president.get(url("dossier-detail", pk=pk)).json()
    assert {c["current_verdict"] for c in body["consultations"]} == {"favorable", "favorable_reserves"}
    assert body["permissions"]["decide"] is True

    # The president decides and signs; everyone who sees the file can download the decision.
    assert [d["id"] for d in president.get(url("dossier-list"), {"role": "decide"}).json()["results"]] == [pk]
    with django_capture_on_commit_callbacks(execute=True):
        r = president.post(url("dossier-decide", pk=pk), {
            "outcome": "granted", "conditions": "Respecter le retrait de 3 m.", "pin": DEMO_PIN}, format="json")
    assert r.status_code == 201, r.content
    decision = r.json()
    assert decision["outcome"] == "granted" and len(decision["verification_code"]) == 11
    body = architect.get(url("dossier-detail", pk=pk)).json()
    assert body["status"] == "granted" and body["decision"]["verification_code"] == decision["verification_code"]
    assert body["timeline"][-1]["action"] == "decision.signed"
    r = clients["owner"].get(body["decision"]["download_url"])
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    pdf = b"".join(r.streaming_content)
    assert hashlib.sha256(pdf).hexdigest() == decision["sha256"]

    # Anyone can verify it, by code (typed loosely) or by uploading the PDF; no personal data.
    anonymous = client_for()
    code = decision["verification_code"]
    r = anonymous.get(url("verify-code", code=code.lower().replace("-", "")))
    assert r.status_code == 200, r.content
    verified = r.json()
    assert verified["authentic"] is True
    assert verified["decision"]["reference"] == body["reference"]
    assert verified["decision"]["commune"]["code"] == world.commune.code
    assert verified["decision"]["procedure"]["code"] == "permis-construire"
    assert verified["decision"]["outcome"] == "granted" and verified["decision"]["signer_name"]
    owner = world.users["owner"]
    for personal in (owner.last_name, owner.cin, owner.email, world.users["architect"].cin, "Villa"):
        assert personal not in r.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = anonymous.post(url("verify-pdf"), {"file": SimpleUploadedFile("d.pdf", pdf, "application/pdf")},
                       format="multipart")
    assert r.status_code == 200, r.content
    assert r.json()["authentic"] is True and r.json()["signature"]["intact"] is True
    assert r.json()["signature"]["valid"] is True
    r = anonymous.post(url("verify-pdf"), {"file": SimpleUploadedFile("d.pdf", pdf + b"%tampered\n")},
                       format="multipart")
    assert r.status_code == 200 and r.json()["authentic"] is False and r.json()["decision"] is None
