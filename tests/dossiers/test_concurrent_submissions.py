"""200 concurrent submissions in one commune: unique numbers without gaps (PostgreSQL)."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection, connections

from rokhas.catalogue.classification import classify
from rokhas.catalogue.models import Procedure
from rokhas.documents.models import Document, DocumentVersion
from rokhas.dossiers import services
from rokhas.dossiers.models import Dossier
from tests.conftest import PETIT_PROJET

N_FILES = 200


def _ready_drafts(world, n):
    """Drafts with every required document, set up directly: the submission is under test."""
    architect = world.users["architect"]
    procedure = Procedure.objects.get(code="permis-construire")
    first = services.create_draft(actor=architect, commune=world.commune, procedure=procedure,
                                  owner=world.users["owner"], title="x")
    first = services.update_draft(actor=architect, dossier=first, title=None, declared=PETIT_PROJET)
    cls = classify(first.procedure_version, first.declared).project_class
    reqs = [r for r in first.procedure_version.required_documents.all() if r.project_class_id in (None, cls.pk)]
    drafts = [first] + [Dossier.objects.create(commune=world.commune, procedure_version=first.procedure_version,
                                               applicant=architect, owner=world.users["owner"], title=f"f{i}",
                                               declared=first.declared) for i in range(n - 1)]
    for d in drafts:
        for r in reqs:
            doc = Document.objects.create(dossier=d, document_type=r.document_type)
            DocumentVersion.objects.create(document=doc, number=1, storage_name="documents/x", original_name="x.pdf",
                                           content_type="application/pdf", sha256="0" * 64, size=1,
                                           uploaded_by=architect)
    return drafts


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_200_concurrent_submissions_get_unique_gap_free_numbers(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locking under real concurrency needs PostgreSQL (CI runs it)")
    drafts = _ready_drafts(world, N_FILES)
    architect = world.users["architect"]
    workers = 40  # below PostgreSQL's default max_connections (100)
    barrier = Barrier(workers)

    def submit(d):
        try:
            if barrier.n_waiting < workers and not barrier.broken:
                try:
                    barrier.wait(timeout=10)
                except Exception:  # noqa: BLE001 - the barrier only lines threads up
                    pass
            return services.submit(actor=architect, dossier=d, token=f"c-{d.pk}").sequence
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        numbers = list(pool.map(submit, drafts))
    assert sorted(numbers) == list(range(1, N_FILES + 1))
    refs = list(Dossier.objects.filter(commune=world.commune).values_list("reference", flat=True))
    assert len(set(refs)) == N_FILES
