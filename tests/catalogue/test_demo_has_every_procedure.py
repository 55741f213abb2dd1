"""The demo (`make run`) holds a file of every procedure of the catalogue at a meaningful stage,
made through the services; loading it twice creates nothing more."""

from __future__ import annotations

from rokhas.catalogue.models import Procedure
from rokhas.demo.files import create_demo_files
from rokhas.dossiers.models import Dossier

S = Dossier.Status
STAGES = {
    "lotir": S.IN_REVIEW, "groupe-habitations": S.SUBMITTED, "morceler": S.GRANTED,
    "permis-refection": S.GRANTED, "permis-regularisation": S.RETURNED, "permis-demolir": S.IN_REVIEW,
    "permis-habiter": S.IN_REVIEW, "certificat-conformite": S.SUBMITTED, "autorisation-publicite": S.GRANTED,
    "activite-declaration": S.DECLARED, "activite-autorisation": S.IN_REVIEW, "etablissement-classe": S.IN_REVIEW,
    "ouverture-tranchees": S.IN_REVIEW,
}


def test_demo_files_cover_every_procedure(signer_world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = create_demo_files(signer_world)
    assert created == Dossier.objects.count()
    assert set(Dossier.objects.values_list("procedure_version__procedure__code", flat=True)) == set(
        Procedure.objects.values_list("code", flat=True))
    for code, status in STAGES.items():
        assert Dossier.objects.get(procedure_version__procedure__code=code).status == status, code
    odp = {d.project_class.code: d.status for d in Dossier.objects.filter(
        procedure_version__procedure__code="occupation-domaine-public")}
    assert odp == {"standard": S.GRANTED, "telecom": S.SUBMITTED}
    # Files under review carry opinions.
    assert Dossier.objects.get(procedure_version__procedure__code="lotir").consultations.filter(
        opinions__isnull=False).count() == 2
    assert create_demo_files(signer_world) == 0
