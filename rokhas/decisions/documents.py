"""Filling the official PDFs (receipt, decision, tacit-approval certificate) from the models."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rokhas.accounts.models import Membership
from rokhas.core.bilingual import both
from rokhas.dossiers import clock
from rokhas.dossiers.models import Dossier
from rokhas.pdfs import render
from rokhas.pdfs.contexts import DecisionContext, Party, ReceiptContext
from rokhas.review.models import Opinion
from rokhas.review.selectors import opinions_of

render_decision = render.render_decision
render_tacit_certificate = render.render_tacit_certificate

APPLICANT_ROLE = ("Demandeur (déposant)", "صاحب الطلب (المودع)")
OWNER_ROLE = ("Propriétaire / maître d'ouvrage", "المالك / صاحب المشروع")


def _parties(dossier: Dossier) -> tuple[Party, Party]:
    a, o = dossier.applicant, dossier.owner
    return (Party(a.get_full_name() or a.username, *APPLICANT_ROLE),
            Party(o.get_full_name() or o.username, *OWNER_ROLE))


def signer_membership(user, dossier: Dossier) -> Membership | None:
    return (Membership.objects.filter(user=user, active=True, organisation__commune=dossier.commune,
                                      role__in=[Membership.Role.PRESIDENT, Membership.Role.DELEGATE])
            .first())


def verification_url(code: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("verify-code", kwargs={"code": code})


def _summary(dossier: Dossier) -> tuple[str, str]:
    d = dossier.declared
    area = d.get("floor_area_m2")
    fr = f"{dossier.title}" + (f" — surface plancher {area} m²" if area else "")
    ar = f"{dossier.title}" + (f" — المساحة المغطاة {area} م²" if area else "")
    return fr, ar


def decision_context(dossier: Dossier, *, outcome: str, conditions: str, reasons: str, code: str,
                     decided_at: datetime.datetime, signer, membership, due_date=None) -> DecisionContext:
    version = dossier.procedure_version
    cls = dossier.project_class
    applicant, owner = _parties(dossier)
    opinions = []
    for consultation in opinions_of(dossier):
        current = consultation.current_opinion
        if current is None:
            continue
        verdict_fr, verdict_ar = both(Opinion.Verdict(current.verdict).label)
        opinions.append((consultation.organisation.name_fr, consultation.organisation.name_ar,
                         verdict_fr, verdict_ar, current.text))
    summary_fr, summary_ar = _summary(dossier)
    silence_fr = silence_ar = ""
    if due_date is not None:
        silence_fr = (f"{cls.deadline_source_fr}. Délai légal expiré le {due_date:%d/%m/%Y} sans décision : "
                      "le silence de l'administration vaut approbation.")
        silence_ar = (f"{cls.deadline_source_ar}. انقضى الأجل القانوني بتاريخ {due_date:%d/%m/%Y} دون قرار: "
                      "سكوت الإدارة يعتبر موافقة.")
    return DecisionContext(
        reference=dossier.reference, commune_fr=dossier.commune.name_fr, commune_ar=dossier.commune.name_ar,
        procedure_fr=version.procedure.name_fr, procedure_ar=version.procedure.name_ar,
        project_class_fr=cls.name_fr, project_class_ar=cls.name_ar, outcome=outcome,
        decided_at=timezone.localdate(decided_at), signer_name=signer.get_full_name() or signer.username,
        signer_title_fr=(membership.title_fr if membership else "") or "Président du conseil communal",
        signer_title_ar=(membership.title_ar if membership else "") or "رئيس المجلس الجماعي",
        applicant=applicant, owner=owner, project_summary_fr=summary_fr, project_summary_ar=summary_ar,
        conditions=conditions, reasons=reasons, appeal_fr=version.appeal_fr, appeal_ar=version.appeal_ar,
        opinions=opinions, verification_code=code, verification_url=verification_url(code),
        silence_rule_fr=silence_fr, silence_rule_ar=silence_ar,
    )


def receipt_context(dossier: Dossier, round_number: int | None = None) -> ReceiptContext:
    from rokhas.documents.models import DocumentVersion

    rounds = dossier.rounds.order_by("number")
    rnd = rounds.filter(number=round_number).first() if round_number else rounds.last()
    if rnd is None:
        raise ValidationError(_("This file has no receipt yet: it has not been filed."), code="not_filed")
    versions = {v.pk: v for v in DocumentVersion.objects.filter(pk__in=rnd.documents_snapshot.values())
                .select_related("document__document_type")}
    docs = []
    for version_id in rnd.documents_snapshot.values():
        v = versions.get(version_id)
        if v:
            t = v.document.document_type
            docs.append((t.name_fr, t.name_ar, v.original_name, v.sha256[:12]))
    cls = dossier.project_class
    state = clock.compute(dossier)
    applicant, owner = _parties(dossier)
    return ReceiptContext(
        reference=dossier.reference, commune_fr=dossier.commune.name_fr, commune_ar=dossier.commune.name_ar,
        procedure_fr=dossier.procedure.name_fr, procedure_ar=dossier.procedure.name_ar,
        project_class_fr=cls.name_fr, project_class_ar=cls.name_ar,
        filed_at=timezone.localtime(rnd.submitted_at),
        legal_deadline=state.due_date or dossier.legal_due_date or timezone.localdate(rnd.submitted_at),
        # A simple declaration is answered by this receipt itself: no deadline runs.
        deadline_rule_fr=cls.deadline_source_fr if cls.declaration_only else
        f"{cls.total_days} jours ({'ouvrables' if cls.day_kind == 'working' else 'calendaires'}) — {cls.deadline_source_fr}",
        deadline_rule_ar=cls.deadline_source_ar if cls.declaration_only else
        f"{cls.total_days} يوما ({'أيام عمل' if cls.day_kind == 'working' else 'أيام متتالية'}) — {cls.deadline_source_ar}",
        applicant=applicant, owner=owner, documents=docs, round_number=rnd.number,
    )


def receipt_pdf(dossier: Dossier, round_number: int | None = None) -> bytes:
    return render.render_receipt(receipt_context(dossier, round_number))
