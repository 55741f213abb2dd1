"""The draft page: the draft is kept across visits, the class and its reasons are shown after
saving, documents show version, size, hash prefix and what sanitising removed."""

from __future__ import annotations

import pikepdf
import pytest

from tests.conftest import GRAND_PROJET, PETIT_PROJET, upload

from .conftest import body, client_for, create_draft_via_web, save_draft_via_web, url

pytestmark = pytest.mark.django_db


def test_draft_is_kept_and_classified_after_save(world):
    architect = client_for(world.users["architect"])
    pk = create_draft_via_web(architect, world)
    save_draft_via_web(architect, pk, {"nature": "new", "levels": "2"})
    # A new visit (new client, same person) finds the saved values.
    html = body(client_for(world.users["architect"]).get(url("fr", "web:draft", pk=pk)))
    assert 'value="2"' in html and '<option value="new" selected>' in html
    assert "Petits projets" in html.split('data-testid="classification"')[1]
    save_draft_via_web(architect, pk, GRAND_PROJET)
    html = body(architect.get(url("fr", "web:draft", pk=pk)))
    panel = html.split('data-testid="classification"')[1].split("</section>")[0]
    assert "Grands projets" in panel
    assert "Surface plancher supérieure à 1" in panel  # the why of the matching criterion
    html = body(client_for(world.users["architect"], "ar").get(url("ar", "web:draft", pk=pk)))
    panel = html.split('data-testid="classification"')[1].split("</section>")[0]
    assert "المشاريع الكبرى" in panel and "مساحة مغطاة تفوق" in panel
    # The class-specific documents of grands projets appear once classified as such.
    assert 'data-testid="doc-notice-securite"' in html or 'data-testid="doc-etude-beton-arme"' in html


def test_booleans_can_be_unchecked(world):
    architect = client_for(world.users["architect"])
    pk = create_draft_via_web(architect, world)
    save_draft_via_web(architect, pk, {**PETIT_PROJET, "public_building": True})
    html = body(architect.get(url("fr", "web:draft", pk=pk)))
    assert "Grands projets" in html.split('data-testid="classification"')[1]
    save_draft_via_web(architect, pk, PETIT_PROJET)
    html = body(architect.get(url("fr", "web:draft", pk=pk)))
    assert "Petits projets" in html.split('data-testid="classification"')[1]


def test_uploaded_document_shows_version_size_hash_and_what_was_removed(world):
    architect = client_for(world.users["architect"])
    pk = create_draft_via_web(architect, world)
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    import io

    out = io.BytesIO()
    pdf.save(out)
    response = architect.post(url("fr", "web:upload", pk=pk), {
        "document_type": "plan-situation", "file": upload("situation.pdf", out.getvalue())})
    assert response.status_code == 302
    from rokhas.documents.models import DocumentVersion

    version = DocumentVersion.objects.get(document__dossier_id=pk)
    html = body(architect.get(url("fr", "web:draft", pk=pk)))
    block = html.split('data-testid="doc-plan-situation"')[1].split("</li>")[0]
    assert "situation.pdf" in block and version.sha256[:12] in block
    assert f'data-testid="removed-{version.pk}"' in block
    assert "JavaScript" in block or "open action" in block
    # The download is an attachment, never sniffed.
    download = architect.get(url("fr", "web:document", pk=pk, version_id=version.pk))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # A version of another file, or a made-up one, is a 404.
    assert architect.get(url("fr", "web:document", pk=pk, version_id=version.pk + 1000)).status_code == 404


def test_missing_required_fields_on_submit_sit_next_to_the_fields(world):
    architect = client_for(world.users["architect"])
    pk = create_draft_via_web(architect, world)
    save_draft_via_web(architect, pk, {"nature": "new"})
    response = architect.post(url("fr", "web:submit", pk=pk), {"token": "abc"})
    html = body(response)
    assert response.status_code == 200
    assert 'data-testid="submit-errors"' in html
    assert 'data-testid="errors-land_title"' in html
