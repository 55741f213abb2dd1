"""A few demo files in different states, made through the domain services like any other."""

from __future__ import annotations

import io

import pikepdf
from django.core.files.uploadedfile import SimpleUploadedFile

from rokhas.catalogue.classification import classify
from rokhas.catalogue.models import Procedure, ReturnReason
from rokhas.dossiers import services
from rokhas.dossiers.models import Dossier
from rokhas.review.services import give_opinion

PETIT = {"nature": "new", "use": "individual_housing", "land_title": "TF 45821/09",
         "address": "Lotissement Al Wafa, lot 112", "land_area_m2": 180, "floor_area_m2": 290, "levels": 2,
         "description": "Maison individuelle R+1 avec terrasse"}
GRAND = {"nature": "new", "use": "collective_housing", "land_title": "TF 90311/09",
         "address": "Avenue Mohammed V, angle rue 14", "land_area_m2": 1200, "floor_area_m2": 5400, "levels": 6,
         "receives_public": False, "description": "Immeuble d'habitation R+5, 40 logements, commerces au RDC"}


def demo_pdf(title: str, pages: int = 1) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    pdf.docinfo["/Title"] = title
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _fill(world, title: str, declared: dict) -> Dossier:
    architect, owner = world.users["architect"], world.users["owner"]
    procedure = Procedure.objects.get(code="permis-construire")
    d = services.create_draft(actor=architect, commune=world.commune, procedure=procedure, owner=owner, title=title)
    d = services.update_draft(actor=architect, dossier=d, title=None, declared=declared)
    cls = classify(d.procedure_version, d.declared).project_class
    for req in d.procedure_version.required_documents.select_related("document_type"):
        if req.project_class_id in (None, cls.pk):
            code = req.document_type.code
            services.attach_document(actor=architect, dossier=d, document_type=req.document_type,
                                     uploaded=SimpleUploadedFile(f"{code}.pdf", demo_pdf(code),
                                                                 content_type="application/pdf"))
    return d


def create_demo_files(world) -> int:
    from .procedures import create_one_of_each_procedure

    return _construction_permit_files(world) + create_one_of_each_procedure(world)


def _construction_permit_files(world) -> int:
    if Dossier.objects.filter(applicant=world.users["architect"],
                              procedure_version__procedure__code="permis-construire").exists():
        return 0
    users = world.users
    # 1. A draft the architect can finish and submit.
    _fill(world, "Maison Bennani — brouillon", PETIT)
    # 2. A filed petit projet waiting at the guichet.
    d2 = _fill(world, "Maison El Idrissi", PETIT)
    services.submit(actor=users["architect"], dossier=d2, token="demo-2")
    # 3. A grand projet under review, with one opinion given.
    d3 = _fill(world, "Résidence Al Amal", GRAND)
    services.submit(actor=users["architect"], dossier=d3, token="demo-3")
    services.accept_and_dispatch(actor=users["guichet"], dossier=d3)
    give_opinion(actor=users["urban_agency"], dossier=d3, verdict="favorable_reserves",
                 text="Respecter le retrait de 4 m sur l'avenue et le coefficient d'occupation du sol.")
    # 4. A petit projet returned for complements.
    d4 = _fill(world, "Surélévation villa Tazi", {**PETIT, "nature": "surelevation", "levels": 3})
    services.submit(actor=users["architect"], dossier=d4, token="demo-4")
    services.return_for_complements(actor=users["guichet"], dossier=d4,
                                    reasons=list(ReturnReason.objects.filter(code__in=["plan-scale"])),
                                    message="Les coupes ne sont pas cotées ; merci de fournir des plans à l'échelle 1/100.")
    # 5. A petit projet under review, ready for the president once the opinions are in.
    d5 = _fill(world, "Maison Alaoui", PETIT)
    services.submit(actor=users["architect"], dossier=d5, token="demo-5")
    services.accept_and_dispatch(actor=users["guichet"], dossier=d5)
    for key in ("commune_reviewer", "urban_agency", "local_authority"):
        give_opinion(actor=users[key], dossier=d5, verdict="favorable", text="")
    return 5
