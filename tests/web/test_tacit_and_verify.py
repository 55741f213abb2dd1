"""The tacit-approval certificate is downloadable from the file page; the public verification
page normalises codes, says clearly when nothing matches, and shows no personal data."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from rokhas.decisions.models import Decision
from rokhas.decisions.services import apply_silence_rule
from rokhas.dossiers.models import Dossier

from .conftest import body, client_for, filed_via_web, url

pytestmark = pytest.mark.django_db


def test_tacit_approval_certificate_on_the_file_page_and_verifiable(signer_world, django_capture_on_commit_callbacks):
    world = signer_world
    pk = filed_via_web(client_for(world.users["architect"]), world)
    with django_capture_on_commit_callbacks(execute=True):
        decision = apply_silence_rule(Dossier.objects.get(pk=pk), timezone.localdate() + datetime.timedelta(days=90))
    assert decision is not None and decision.outcome == Decision.Outcome.TACIT_APPROVAL
    owner = client_for(world.users["owner"], "ar")
    html = body(owner.get(url("ar", "web:dossier", pk=pk)))
    assert 'data-testid="decision"' in html and 'data-testid="decision-download"' in html
    assert 'data-testid="event-clock.expired"' in html
    response = owner.get(url("ar", "web:decision", pk=pk))
    assert response.status_code == 200
    assert "certificate-" in response["Content-Disposition"]
    pdf = b"".join(response.streaming_content)
    page = body(client_for(None).post(url("fr", "verify"), {"pdf": _upload(pdf)}))
    assert 'data-authentic="yes"' in page
    assert 'data-testid="signature-report"' in page


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("certificate.pdf", content, "application/pdf")


def test_typed_code_is_normalised_and_redirected(world):
    client = client_for(None)
    response = client.get(url("fr", "verify"), {"code": " abcde 1234o "})
    assert response.status_code == 302
    assert response["Location"] == url("fr", "verify-code", code="ABCDE-12340")
    html = body(client.get(response["Location"]))
    assert 'data-authentic="no"' in html and 'data-testid="verify-not-authentic"' in html
    response = client.get(url("fr", "verify"), {"code": "---"})
    assert response.status_code == 200 and 'data-testid="errors-code"' in body(response)


def test_verify_page_is_public_and_not_indexed(world):
    response = client_for(None, "ar").get(url("ar", "verify"))
    assert response.status_code == 200
    assert response["X-Robots-Tag"].startswith("noindex")
    html = body(response)
    assert 'dir="rtl"' in html and 'name="robots" content="noindex' in html
    assert 'enctype="multipart/form-data"' in html


def test_verify_url_names_have_no_namespace(world):
    from django.urls import reverse

    assert reverse("verify-code", kwargs={"code": "ABCDE-12345"}).endswith("/verify/ABCDE-12345/")
    assert reverse("verify").endswith("/verify/")
