"""Returned files come back as a new round; the reviewer sees what changed."""

from rokhas.catalogue.models import DocumentType, ReturnReason
from rokhas.dossiers import services
from tests.conftest import PETIT_PROJET, make_pdf, upload


def test_resubmission_shows_changed_fields_and_documents(world, file_dossier):
    d = file_dossier()
    guichet, architect = world.users["guichet"], world.users["architect"]
    services.return_for_complements(actor=guichet, dossier=d, message="Plans sans cotes",
                                    reasons=list(ReturnReason.objects.filter(code__in=["plan-scale", "other"])))
    d.refresh_from_db()
    assert d.status == "returned"
    services.update_draft(actor=architect, dossier=d, title=None, declared={**PETIT_PROJET, "floor_area_m2": "330"})
    services.attach_document(actor=architect, dossier=d, document_type=DocumentType.objects.get(code="plans-architecturaux"),
                             uploaded=upload("plans-v2.pdf", make_pdf(3, "v2")))
    services.submit(actor=architect, dossier=d, token="round-2")
    changes = services.round_changes(d, 2)
    assert changes["fields"] == {"floor_area_m2": [320.0, 330.0]}
    assert changes["documents"] == {"plans-architecturaux": "replaced"}
    rnd = d.rounds.get(number=1)
    assert sorted(rnd.return_reasons.values_list("code", flat=True)) == ["other", "plan-scale"]
    d.refresh_from_db()
    assert d.sequence == 1  # same number through the rounds
