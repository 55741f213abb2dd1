"""One demo file of every procedure of the catalogue, each at a meaningful stage, made through
the domain services like any other file (drafting, documents, submission, dispatch, opinions,
decisions signed with the demo PIN)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from rokhas.catalogue.classification import classify
from rokhas.catalogue.models import Procedure, ReturnReason
from rokhas.catalogue.selectors import required_documents
from rokhas.dossiers import services
from rokhas.dossiers.models import Dossier
from rokhas.review.services import give_opinion

from .files import demo_pdf
from .samples import SAMPLES, TELECOM_OCCUPATION
from .seed import DEMO_PIN

# Who answers for each kind of body in the demo world (World.users keys).
REVIEWER_OF_KIND = {"commune": "commune_reviewer", "urban_agency": "urban_agency",
                    "local_authority": "local_authority", "civil_protection": "civil_protection",
                    "land_registry": "land_registry", "hygiene_office": "hygiene_office",
                    "environment": "environment", "water_operator": "water_operator",
                    "electricity_operator": "electricity_operator", "telecom_operator": "telecom_operator"}


def fill_file(world, code: str, sample: tuple[str, str, dict] | None = None, commune=None) -> Dossier:
    """A complete draft of that procedure: declared data and every document it requires."""
    who, title, declared = sample or SAMPLES[code]
    applicant = world.users[who]
    procedure = Procedure.objects.get(code=code)
    d = services.create_draft(actor=applicant, commune=commune or world.commune, procedure=procedure,
                              owner=world.users["owner"], title=title)
    d = services.update_draft(actor=applicant, dossier=d, title=None, declared=declared)
    cls = classify(d.procedure_version, d.declared).project_class
    for req in required_documents(d.procedure_version, cls, d.declared):
        if req.mandatory:
            name = req.document_type.code
            services.attach_document(actor=applicant, dossier=d, document_type=req.document_type,
                                     uploaded=SimpleUploadedFile(f"{name}.pdf", demo_pdf(name),
                                                                 content_type="application/pdf"))
    return d


def file_it(world, d: Dossier) -> Dossier:
    return services.submit(actor=d.applicant, dossier=d, token=f"demo-{d.pk}")


def dispatch(world, d: Dossier) -> Dossier:
    return services.accept_and_dispatch(actor=world.users["guichet"], dossier=d)


def opinions(world, d: Dossier, verdicts: dict[str, tuple[str, str]] | None = None, only=None) -> None:
    """Each consulted body gives its opinion (favourable unless `verdicts` says otherwise)."""
    verdicts = verdicts or {}
    for consultation in d.consultations.select_related("organisation").order_by("organisation__kind"):
        kind = consultation.organisation.kind
        if only is not None and kind not in only:
            continue
        verdict, text = verdicts.get(kind, ("favorable", ""))
        give_opinion(actor=world.users[REVIEWER_OF_KIND[kind]], dossier=d, consultation=consultation,
                     verdict=verdict, text=text)


def grant(world, d: Dossier, conditions: str = ""):
    from rokhas.decisions.services import decide

    return decide(actor=world.users["president"], dossier=d, outcome="granted", conditions=conditions, pin=DEMO_PIN)


def _stage_filed(world, code, sample=None):
    return file_it(world, fill_file(world, code, sample))


def _stage_review(world, code, sample=None, **kw):
    d = dispatch(world, _stage_filed(world, code, sample))
    opinions(world, d, **kw)
    return d


def _stage_granted(world, code, conditions="", sample=None):
    d = _stage_review(world, code, sample)
    grant(world, d, conditions)
    return d


def _stage_returned(world, code):
    d = _stage_filed(world, code)
    return services.return_for_complements(
        actor=world.users["guichet"], dossier=d, reasons=list(ReturnReason.objects.filter(code="doc-illegible")),
        message="L'attestation de stabilité n'est pas signée par le bureau d'études.")


STAGES = {
    "lotir": lambda w: _stage_review(w, "lotir", only={"urban_agency", "commune"}, verdicts={
        "urban_agency": ("favorable_reserves", "Prévoir une voie de 12 m au nord et un espace vert de 8 %.")}),
    "groupe-habitations": lambda w: _stage_filed(w, "groupe-habitations"),
    "morceler": lambda w: _stage_granted(w, "morceler", "Inscription du morcellement au titre foncier."),
    "permis-refection": lambda w: _stage_granted(w, "permis-refection", "Teintes conformes au nuancier communal."),
    "permis-regularisation": lambda w: _stage_returned(w, "permis-regularisation"),
    "permis-demolir": lambda w: _stage_review(w, "permis-demolir", verdicts={
        "civil_protection": ("favorable_reserves", "Étaiement du mur mitoyen avant toute démolition.")}),
    "permis-habiter": lambda w: _stage_review(w, "permis-habiter", only={"commune"}),
    "certificat-conformite": lambda w: _stage_filed(w, "certificat-conformite"),
    "autorisation-publicite": lambda w: _stage_granted(w, "autorisation-publicite", "Extinction du caisson à minuit."),
    "activite-declaration": lambda w: _stage_filed(w, "activite-declaration"),
    "activite-autorisation": lambda w: _stage_review(w, "activite-autorisation", only={"hygiene_office"}, verdicts={
        "hygiene_office": ("favorable_reserves", "Installer un lave-mains à commande non manuelle.")}),
    "etablissement-classe": lambda w: _stage_review(w, "etablissement-classe", only={"civil_protection"}, verdicts={
        "civil_protection": ("ajourne", "Fournir le plan d'évacuation et l'emplacement des extincteurs.")}),
    "occupation-domaine-public": lambda w: _stage_granted(w, "occupation-domaine-public",
                                                          "Passage piéton de 1,50 m à laisser libre."),
    "ouverture-tranchees": lambda w: _stage_review(w, "ouverture-tranchees", only={
        "water_operator", "electricity_operator", "telecom_operator"}),
}


def create_one_of_each_procedure(world) -> int:
    """Idempotent: a procedure that already has a file in the demo commune is skipped."""
    created = 0
    for code, make in STAGES.items():
        if Dossier.objects.filter(commune=world.commune, procedure_version__procedure__code=code).exists():
            continue
        make(world)
        created += 1
        if code == "occupation-domaine-public":
            _stage_filed(world, code, TELECOM_OCCUPATION)
            created += 1
    return created
