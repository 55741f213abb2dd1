"""Lists and the file page take a file's procedure version and class from the per-process
catalogue cache: no join, no query per row — and a saved catalogue row is never served stale."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from rokhas.catalogue.models import ProjectClass
from rokhas.decisions.services import verify_code
from rokhas.dossiers.selectors import get_visible, guichet_worklist


def test_worklist_rows_carry_their_catalogue_without_queries(world, file_dossier):
    first, second = file_dossier(), file_dossier()
    guichet = world.users["guichet"]
    list(guichet_worklist(guichet))  # warm the cache
    with CaptureQueriesContext(connection) as ctx:
        rows = list(guichet_worklist(guichet))
        names = [(d.procedure_version.procedure.code, d.project_class.code, d.procedure_version.form_schema[0]["name"])
                 for d in rows]
    assert {d.pk for d in rows} == {first.pk, second.pk}
    assert names[0][0] == "permis-construire" and names[0][1] == first.project_class.code
    assert not any("catalogue_" in q["sql"] for q in ctx.captured_queries)
    assert len(ctx.captured_queries) == 2  # memberships, then the list


def test_a_saved_class_is_read_again(world, file_dossier):
    d = file_dossier()
    guichet = world.users["guichet"]
    assert get_visible(guichet, d.pk).project_class.name_fr == d.project_class.name_fr
    ProjectClass.objects.filter(pk=d.project_class_id).update(name_fr="ignored: update() sends no signal")
    cls = ProjectClass.objects.get(pk=d.project_class_id)
    cls.name_fr = "Petits projets (renommé)"
    cls.save()
    assert get_visible(guichet, d.pk).project_class.name_fr == "Petits projets (renommé)"


def test_verification_reads_the_procedure_from_the_cache(signer_world, file_dossier):
    from rokhas.decisions.services import decide
    from rokhas.demo.seed import DEMO_PIN
    from rokhas.dossiers import services
    from rokhas.review.services import give_opinion

    world = signer_world
    d = file_dossier()
    services.accept_and_dispatch(actor=world.users["guichet"], dossier=d)
    for key in ("commune_reviewer", "urban_agency", "local_authority"):
        give_opinion(actor=world.users[key], dossier=d, verdict="favorable", text="")
    code = decide(actor=world.users["president"], dossier=d, outcome="granted", pin=DEMO_PIN).verification_code
    found = verify_code(code)
    assert found.dossier.procedure_version.procedure.code == "permis-construire"
    assert found.dossier.reference == d.reference
