"""An annotation stays anchored to the document version it was made on: once that version is
replaced it is still shown, marked as being on the old version; new notes go on the current one."""

import pytest
from django.core.exceptions import ValidationError

from rokhas.commission import selectors, services
from rokhas.documents.models import DocumentVersion
from tests.commission.conftest import first_version

pytestmark = pytest.mark.django_db


def _replace(version):
    """A new version of the same document (as a re-examination round would bring)."""
    return DocumentVersion.objects.create(
        document=version.document, number=version.number + 1, storage_name=version.storage_name,
        original_name="plan-v2.pdf", content_type=version.content_type, sha256=version.sha256, size=version.size,
        pages=version.pages, uploaded_by=version.uploaded_by)


def test_annotation_keeps_its_old_version_and_is_shown_as_such(world, session, petit, client):
    agency = world.users["urban_agency"]
    old = first_version(petit)
    note = services.annotate(actor=agency, session=session, dossier=petit, version=old, page=1, x=0.25, y=0.75,
                             width=0.2, height=0.1, text="Retrait de 4 m non respecté")
    new = _replace(old)
    note.refresh_from_db()
    assert note.document_version_id == old.pk
    kept = selectors.annotations_of(petit)
    assert [(k.annotation.pk, k.current) for k in kept] == [(note.pk, False)]

    with pytest.raises(ValidationError) as err:
        services.annotate(actor=agency, session=session, dossier=petit, version=old, page=1, x=0.1, y=0.1,
                          text="Encore")
    assert err.value.code == "replaced"
    services.annotate(actor=agency, session=session, dossier=petit, version=new, page=1, x=0.1, y=0.1,
                      text="Sur la nouvelle version")
    assert [k.current for k in selectors.annotations_of(petit)] == [False, True]

    client.force_login(world.users["owner"])  # the owner sees everything on the file
    page = client.get(f"/fr/files/{petit.pk}/").content.decode()
    assert "Retrait de 4 m non respecté" in page and 'data-testid="replaced-version"' in page
    assert page.count('data-testid="kept-annotation"') == 2


def test_bad_positions_and_empty_text_are_refused(world, session, petit, client):
    agency = world.users["urban_agency"]
    version = first_version(petit)
    for bad in ({"x": 1.5, "y": 0.2}, {"x": "nan", "y": 0.2}, {"x": "a", "y": 0.2}):
        with pytest.raises(ValidationError):
            services.annotate(actor=agency, session=session, dossier=petit, version=version, page=1, text="x", **bad)
    with pytest.raises(ValidationError):
        services.annotate(actor=agency, session=session, dossier=petit, version=version, page=99, x=0.1, y=0.1,
                          text="x")
    client.force_login(agency)
    url = f"/fr/commission/{session.pk}/files/{petit.pk}/annotations/"
    response = client.post(url, {"version": version.pk, "page": 1, "x": 0.1, "y": 0.1, "text": "  "})
    assert response.status_code == 400 and "text" in response.json()
    response = client.post(url, {"version": "999999999", "page": 1, "x": 0.1, "y": 0.1, "text": "x"})
    assert response.status_code == 400
    response = client.post(url, {"version": version.pk, "page": 1, "x": 0.1, "y": 0.1, "text": "x" * 2001})
    assert response.status_code == 400
    assert not petit.annotations.exists()


def test_page_images_are_rendered_once_per_version_and_page(world, session, petit, client, settings):
    from django.core.files.storage import default_storage

    from rokhas.commission.pages import cache_name
    from tests.conftest import require_binary

    require_binary("pdftoppm")
    version = first_version(petit)
    client.force_login(world.users["urban_agency"])
    response = client.get(f"/fr/files/{petit.pk}/documents/{version.pk}/pages/1.png")
    assert response.status_code == 200 and response.content.startswith(b"\x89PNG")
    assert default_storage.exists(cache_name(version, 1))
    again = client.get(f"/fr/files/{petit.pk}/documents/{version.pk}/pages/1.png")
    assert again.content == response.content
    assert client.get(f"/fr/files/{petit.pk}/documents/{version.pk}/pages/9.png").status_code == 404
    client.force_login(world.users["other_citizen"])
    assert client.get(f"/fr/files/{petit.pk}/documents/{version.pk}/pages/1.png").status_code == 404
