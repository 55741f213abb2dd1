"""Submitting through the API is idempotent with the Idempotency-Key header: a repeated
request (a retry after a timeout, a double click in a partner's UI) finds the same file."""

from rokhas.audit.models import AuditEntry
from rokhas.dossiers.models import Dossier, DossierCounter
from tests.api.conftest import url


def _submitted_entries(pk):
    return AuditEntry.objects.filter(dossier_id=pk, action__in=["dossier.submitted", "dossier.resubmitted"]).count()


def test_the_same_key_twice_files_once(api_draft, clients):
    pk = api_draft()
    architect = clients["architect"]
    first = architect.post(url("dossier-submit", pk=pk), HTTP_IDEMPOTENCY_KEY="partner-42")
    again = architect.post(url("dossier-submit", pk=pk), HTTP_IDEMPOTENCY_KEY="partner-42")
    assert first.status_code == again.status_code == 200, (first.content, again.content)
    assert first.json()["reference"] == again.json()["reference"]
    assert len(again.json()["rounds"]) == 1
    assert _submitted_entries(pk) == 1
    assert DossierCounter.objects.get().last == 1


def test_another_key_on_a_filed_file_is_refused(api_file, clients):
    pk = api_file()
    r = clients["architect"].post(url("dossier-submit", pk=pk), HTTP_IDEMPOTENCY_KEY="another")
    assert r.status_code == 403
    assert r.json()["detail"]
    assert _submitted_entries(pk) == 1


def test_without_a_key_a_second_submit_is_refused_not_duplicated(api_draft, clients):
    pk = api_draft()
    architect = clients["architect"]
    assert architect.post(url("dossier-submit", pk=pk)).status_code == 200
    assert architect.post(url("dossier-submit", pk=pk)).status_code == 403
    assert _submitted_entries(pk) == 1


def test_resubmission_after_a_return_is_idempotent_too(api_file, clients):
    pk = api_file()
    r = clients["guichet"].post(url("dossier-return", pk=pk), {"reasons": ["doc-wrong"], "message": ""}, format="json")
    assert r.status_code == 200
    architect = clients["architect"]
    for _ in range(3):
        r = architect.post(url("dossier-submit", pk=pk), HTTP_IDEMPOTENCY_KEY="round-2")
        assert r.status_code == 200, r.content
    assert len(r.json()["rounds"]) == 2
    assert _submitted_entries(pk) == 2
    assert Dossier.objects.get(pk=pk).status == Dossier.Status.SUBMITTED


def test_bad_keys_are_refused_before_anything_happens(api_draft, clients):
    pk = api_draft()
    architect = clients["architect"]
    for key in ("k" * 65, "clé-accentuée", "two words"):
        r = architect.post(url("dossier-submit", pk=pk), HTTP_IDEMPOTENCY_KEY=key)
        assert r.status_code == 400, key
        assert r.json()["idempotency_key"][0]
    assert Dossier.objects.get(pk=pk).status == Dossier.Status.DRAFT
    r = architect.post(url("dossier-submit", pk=pk), HTTP_IDEMPOTENCY_KEY="k" * 64)
    assert r.status_code == 200
