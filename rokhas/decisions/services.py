"""Deciding a file: the signed decision, and the silence rule when nobody decides in time."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rokhas.audit.services import record
from rokhas.catalogue import cache as catalogue_cache
from rokhas.catalogue.models import SilenceRule
from rokhas.dossiers import clock
from rokhas.dossiers.access import Action, require
from rokhas.dossiers.models import Dossier
from rokhas.notifications import services as notify
from rokhas.payments import services as payments
from rokhas.review.models import Consultation
from rokhas.signing import pin_guard
from rokhas.signing.models import SignerCredential
from rokhas.signing.services import SigningError, WrongPinError, sign_pdf

from . import documents
from .models import Decision

S = Dossier.Status
OUT = Decision.Outcome
# Crockford base32 without I, L, O, U: short codes people can read aloud and type.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_verification_code() -> str:
    while True:
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        code = f"{raw[:5]}-{raw[5:]}"
        if not Decision.objects.filter(verification_code=code).exists():
            return code


def normalise_code(code: str) -> str:
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    raw = raw.replace("O", "0").replace("I", "1").replace("L", "1")
    return f"{raw[:5]}-{raw[5:10]}" if len(raw) == 10 else raw


def _credential_for(user) -> SignerCredential:
    now = timezone.now()
    for cred in SignerCredential.objects.filter(user=user, revoked_at__isnull=True).order_by("-not_after"):
        if cred.is_usable(now):
            return cred
    raise ValidationError(_("You have no valid signing certificate. Ask the administrator to issue or import one."),
                          code="no_certificate")


def _store(code: str, pdf: bytes) -> str:
    return default_storage.save(f"decisions/{code}.pdf", ContentFile(pdf))


def _finish(*, actor, dossier: Dossier, outcome: str, conditions: str, reasons: str, pdf: bytes,
            code: str, signer_name: str, title_fr: str, title_ar: str, decided_at) -> Decision:
    import hashlib

    name = _store(code, pdf)
    try:
        decision = Decision.objects.create(
            dossier=dossier, outcome=outcome, conditions=conditions, reasons=reasons, decided_by=actor,
            decided_at=decided_at, verification_code=code, signer_name=signer_name,
            signer_title_fr=title_fr, signer_title_ar=title_ar, storage_name=name,
            sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf),
        )
        new_status = {OUT.GRANTED: S.GRANTED, OUT.REFUSED: S.REFUSED, OUT.TACIT_APPROVAL: S.TACITLY_APPROVED}[outcome]
        old = dossier.status
        dossier.status = new_status
        dossier.closed_at = decided_at
        dossier.save(update_fields=["status", "closed_at", "updated_at"])
        Consultation.objects.filter(dossier=dossier, open=True).update(open=False)
        record(actor=actor, action="decision.signed", obj=decision, dossier_id=dossier.pk,
               changes={"status": [old, new_status]},
               data={"outcome": outcome, "code": code, "sha256": decision.sha256, "signer": signer_name,
                     "conditions": conditions, "reasons": reasons})
        payments.issue_invoice_on_decision(dossier, actor=actor)  # fees due before the permit is delivered
    except Exception:
        default_storage.delete(name)  # no orphan PDF when the transaction fails
        raise
    return decision


def decide(*, actor, dossier: Dossier, outcome: str, conditions: str = "", reasons: str = "",
           pin: str) -> Decision:
    """Grant or refuse, render the bilingual decision and sign it with the actor's own key."""
    if outcome not in (OUT.GRANTED, OUT.REFUSED):
        raise ValidationError({"outcome": [_("Choose one of the proposed values.")]})
    conditions, reasons = (conditions or "").strip(), (reasons or "").strip()
    if outcome == OUT.REFUSED and not reasons:
        raise ValidationError({"reasons": [_("A refusal must state its reasons (law 55-19).")]})
    for field, value in (("conditions", conditions), ("reasons", reasons)):
        if len(value) > 8000:
            raise ValidationError({field: [_("At most %(limit)d characters (%(count)d given).")
                                           % {"limit": 8000, "count": len(value)}]})
    require(actor, Action.DECIDE, Dossier.objects.get(pk=dossier.pk))  # again under the row lock below
    credential = _credential_for(actor)
    if pin_guard.is_locked(credential):
        raise ValidationError({"pin": ValidationError(
            _("Too many wrong PINs: signing with this certificate is paused for 15 minutes."), code="pin_locked")})
    try:
        with transaction.atomic():
            dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
            require(actor, Action.DECIDE, dossier)
            membership = documents.signer_membership(actor, dossier)
            code = new_verification_code()
            decided_at = timezone.now()
            ctx = documents.decision_context(dossier, outcome=outcome, conditions=conditions, reasons=reasons,
                                             code=code, decided_at=decided_at, signer=actor, membership=membership)
            signed = sign_pdf(documents.render_decision(ctx), credential=credential, pin=pin,
                              reason=f"Décision {dossier.reference}", location=dossier.commune.name_fr)
            decision = _finish(actor=actor, dossier=dossier, outcome=outcome, conditions=conditions,
                               reasons=reasons, pdf=signed, code=code, signer_name=actor.get_full_name(),
                               title_fr=membership.title_fr if membership else "",
                               title_ar=membership.title_ar if membership else "", decided_at=decided_at)
            notify.dossier_event(dossier, "decided")
    except WrongPinError as exc:
        # Counted outside the rolled-back transaction, and audited: PIN guessing must leave traces.
        locked = pin_guard.record_failure(credential)
        record(actor=actor, action="signing.pin_rejected", obj=credential, dossier_id=dossier.pk,
               data={"locked": locked})
        raise ValidationError({"pin": ValidationError(str(exc), code="wrong_pin")}) from exc
    except SigningError as exc:
        raise ValidationError({"pin": ValidationError(str(exc), code="signing_failed")}) from exc
    pin_guard.record_success(credential)
    return decision


def platform_seal():
    """The platform's own e-seal (law 43-20), used where no person signs: tacit approvals."""
    from rokhas.accounts.models import User

    user = User.objects.filter(username=settings.ROKHAS_SEAL_USERNAME).first()
    if user is None:
        raise ValidationError(_("The platform seal is not configured."), code="no_seal")
    return user, _credential_for(user)


def apply_silence_rule(dossier: Dossier, today: datetime.date | None = None) -> Decision | None:
    """If the legal deadline has passed without a decision and the procedure says silence is
    approval, issue the sealed tacit-approval certificate. Returns it, or None if not due."""
    today = today or timezone.localdate()
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if dossier.status not in (S.SUBMITTED, S.IN_REVIEW) or dossier.project_class is None:
            return None
        state = clock.compute(dossier, today)
        if not state.overdue:
            return None
        rule = dossier.project_class.silence_rule
        if rule != SilenceRule.TACIT_APPROVAL:
            record(actor=None, action="clock.overdue", obj=dossier, dossier_id=dossier.pk,
                   data={"due_date": state.due_date, "silence_rule": rule})
            return None
        seal_user, credential = platform_seal()
        code = new_verification_code()
        decided_at = timezone.now()
        record(actor=None, action="clock.expired", obj=dossier, dossier_id=dossier.pk,
               data={"due_date": state.due_date, "silence_rule": rule, "rule": dossier.project_class.deadline_source_fr})
        ctx = documents.decision_context(dossier, outcome=OUT.TACIT_APPROVAL, conditions="", reasons="",
                                         code=code, decided_at=decided_at, signer=seal_user, membership=None,
                                         due_date=state.due_date)
        unsigned = documents.render_tacit_certificate(ctx)
        signed = sign_pdf(unsigned, credential=credential, pin=settings.ROKHAS_SEAL_PIN,
                          reason=f"Approbation tacite {dossier.reference}", location="Rokhas")
        decision = _finish(actor=None, dossier=dossier, outcome=OUT.TACIT_APPROVAL, conditions="", reasons="",
                           pdf=signed, code=code, signer_name=seal_user.get_full_name(),
                           title_fr="Cachet électronique de la plateforme Rokhas",
                           title_ar="الختم الإلكتروني لمنصة رخص", decided_at=decided_at)
        notify.dossier_event(dossier, "tacitly_approved")
    return decision


def sweep_deadlines(today: datetime.date | None = None) -> dict:
    """Apply the silence rule to every open file past its legal deadline."""
    today = today or timezone.localdate()
    due = Dossier.objects.filter(status__in=[S.SUBMITTED, S.IN_REVIEW], legal_due_date__lt=today)
    counts = {"checked": 0, "tacitly_approved": 0}
    for dossier_id in due.values_list("pk", flat=True).iterator():
        counts["checked"] += 1
        if apply_silence_rule(Dossier.objects.get(pk=dossier_id), today):
            counts["tacitly_approved"] += 1
    return counts


# What the public verification shows (web page and API) — and nothing else is read.
PUBLIC_FIELDS = ("outcome", "decided_at", "signer_name", "signer_title_fr", "signer_title_ar", "sha256",
                 "verification_code", "dossier", "dossier__reference", "dossier__procedure_version",
                 "dossier__project_class",
                 "dossier__commune", "dossier__commune__code", "dossier__commune__name_fr",
                 "dossier__commune__name_ar")


def verify_code(code: str) -> Decision | None:
    decision = (Decision.objects.select_related("dossier", "dossier__commune").only(*PUBLIC_FIELDS)
                .filter(verification_code=normalise_code(code)).first())
    if decision is not None:
        catalogue_cache.attach([decision.dossier])
    return decision


def verify_pdf_bytes(content: bytes) -> tuple[Decision | None, object]:
    """Find the decision whose signed bytes these are, and validate the signature itself."""
    import hashlib

    from rokhas.signing.services import validate_pdf

    decision = (Decision.objects.select_related("dossier", "dossier__commune",
                                                "dossier__procedure_version__procedure")
                .filter(sha256=hashlib.sha256(content).hexdigest()).first())
    return decision, validate_pdf(content)
