"""Writes on files: drafting, uploading, submitting, completeness check and dispatch.

Each function checks access through rokhas.dossiers.access, changes the database in one
transaction, records the change in the audit chain in that same transaction, and schedules
side effects (mail, PDF rendering) to run only after the commit.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rokhas.audit.services import diff, record
from rokhas.catalogue.classification import classify
from rokhas.catalogue.declared_data import clean_declared_data
from rokhas.catalogue.models import DocumentType, Procedure, ReturnReason
from rokhas.catalogue.selectors import required_documents, version_in_force
from rokhas.documents.models import Document, DocumentVersion
from rokhas.documents.storage import StoredFilesGuard, store_clean_file
from rokhas.documents.validation import validate_upload
from rokhas.notifications import services as notify
from rokhas.payments import services as payments
from rokhas.territory.models import Commune

from . import clock
from .access import Action, require
from .models import Dossier, DossierCounter, Message, Round

S = Dossier.Status


def _audit(actor, action: str, dossier: Dossier, **kwargs):
    return record(actor=actor, action=action, obj=dossier, dossier_id=dossier.pk, **kwargs)


def _set_status(actor, dossier: Dossier, new: str, action: str, **data) -> None:
    old = dossier.status
    dossier.status = new
    dossier.save(update_fields=["status", "updated_at"])
    _audit(actor, action, dossier, changes={"status": [old, new]}, data=data)


# --- drafting -------------------------------------------------------------------------


@transaction.atomic
def create_draft(*, actor, commune: Commune, procedure: Procedure, owner, title: str) -> Dossier:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("This field is required.")]})
    if len(title) > 200:
        raise ValidationError({"title": [_("At most %(limit)d characters (%(count)d given).")
                                         % {"limit": 200, "count": len(title)}]})
    version = version_in_force(procedure, timezone.localdate())
    if version is None:
        raise ValidationError(_("This procedure is not open for filing today."))
    dossier = Dossier.objects.create(
        commune=commune, procedure_version=version, applicant=actor, owner=owner, title=title,
    )
    _audit(actor, "dossier.created", dossier, data={
        "commune": commune.code, "procedure": procedure.code, "version": version.version,
        "owner": owner.pk,
    })
    return dossier


@transaction.atomic
def update_draft(*, actor, dossier: Dossier, title: str | None, declared: dict) -> Dossier:
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    require(actor, Action.EDIT, dossier)
    cleaned = clean_declared_data(dossier.procedure_version.form_schema, declared, require_complete=False)
    old = {"title": dossier.title, **dossier.declared}
    if title is not None:
        title = title.strip()
        if not title:
            raise ValidationError({"title": [_("This field is required.")]})
        if len(title) > 200:  # refused like in create_draft, never silently cut
            raise ValidationError({"title": [_("At most %(limit)d characters (%(count)d given).")
                                             % {"limit": 200, "count": len(title)}]})
        dossier.title = title
    dossier.declared = cleaned
    dossier.save(update_fields=["title", "declared", "updated_at"])
    changes = diff(old, {"title": dossier.title, **cleaned})
    if changes:
        _audit(actor, "dossier.edited", dossier, changes=changes)
    return dossier


def _is_referenced(name: str) -> bool:
    return DocumentVersion.objects.filter(storage_name=name).exists()


def attach_document(*, actor, dossier: Dossier, document_type: DocumentType, uploaded) -> DocumentVersion:
    """Validate, sanitise and store an upload as the next version of that document.

    The file is stored before the transaction and removed again if the transaction fails,
    so a crash or a refused upload leaves no orphan file and no half-created row."""
    require(actor, Action.EDIT, dossier)
    allowed = {d.document_type_id for d in dossier.procedure_version.required_documents.all()}
    if document_type.pk not in allowed:
        raise ValidationError(_("This document is not part of this procedure's list."), code="not_listed")
    clean = validate_upload(uploaded, allowed=document_type.allowed_formats)
    # Content-addressed: an identical file may already be stored (and used by another row).
    with StoredFilesGuard(is_referenced=_is_referenced):
        name = store_clean_file(clean, prefix=f"dossier-{dossier.pk}")
        with transaction.atomic():
            locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
            require(actor, Action.EDIT, locked)
            document, _created = Document.objects.get_or_create(dossier=locked, document_type=document_type)
            last = document.versions.order_by("-number").first()
            version = DocumentVersion.objects.create(
                document=document, number=(last.number + 1) if last else 1, storage_name=name,
                original_name=clean.original_name, content_type=clean.content_type, sha256=clean.sha256,
                size=clean.size, pages=clean.pages, sanitised=clean.sanitised, removed=list(clean.removed),
                uploaded_by=actor,
            )
            _audit(actor, "document.uploaded", locked, data={
                "document_type": document_type.code, "version": version.number, "sha256": clean.sha256,
                "name": clean.original_name, "removed": list(clean.removed),
            })
    return version


# --- submission -----------------------------------------------------------------------


def missing_documents(dossier: Dossier, project_class, declared: dict | None = None) -> list[DocumentType]:
    present = set(Document.objects.filter(dossier=dossier, versions__isnull=False)
                  .values_list("document_type_id", flat=True))
    declared = dossier.declared if declared is None else declared
    return [r.document_type for r in required_documents(dossier.procedure_version, project_class, declared)
            if r.mandatory and r.document_type_id not in present]


def _next_number(commune: Commune, year: int) -> int:
    """Gap-free per (commune, year): the counter row is locked until our transaction ends."""
    counter = DossierCounter.objects.select_for_update().filter(commune=commune, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                DossierCounter.objects.create(commune=commune, year=year, last=0)
        except IntegrityError:
            pass  # created concurrently; lock it below
        counter = DossierCounter.objects.select_for_update().get(commune=commune, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _documents_snapshot(dossier: Dossier) -> dict:
    """{document type code: id of its current (latest) version}, in one query."""
    snap = {}
    for code, version_id in (DocumentVersion.objects.filter(document__dossier=dossier)
                             .order_by("document_id", "number")
                             .values_list("document__document_type__code", "pk")):
        snap[code] = version_id  # the latest version of each document comes last
    return snap


def submit(*, actor, dossier: Dossier, token: str = "") -> Dossier:
    """File the draft (or resubmit a returned file as a new round).

    A repeated submit with the same token, or of a file already filed, returns the file
    unchanged: one file, one number."""
    if len(token) > 64:
        raise ValidationError({"token": [_("At most %(limit)d characters (%(count)d given).")
                                         % {"limit": 64, "count": len(token)}]})
    with transaction.atomic():
        dossier = (Dossier.objects.select_for_update(of=("self",))
                   .select_related("procedure_version__procedure", "commune").get(pk=dossier.pk))
        if token and dossier.submit_token == token and dossier.status not in (S.DRAFT, S.RETURNED):
            return dossier
        require(actor, Action.SUBMIT, dossier)
        version = dossier.procedure_version
        declared = clean_declared_data(version.form_schema, dossier.declared, require_complete=True)
        classification = classify(version, declared)
        missing = missing_documents(dossier, classification.project_class, declared)
        if missing:
            raise ValidationError(
                _("Missing required documents: %(list)s") % {"list": ", ".join(d.name for d in missing)},
                code="missing_documents",
            )
        now = timezone.now()
        resubmission = dossier.status == S.RETURNED
        if not resubmission:
            year = timezone.localdate(now).year
            dossier.year = year
            dossier.sequence = _next_number(dossier.commune, year)
            dossier.reference = (
                f"{version.procedure.reference_prefix}-{dossier.commune.code}-{year}-{dossier.sequence:06d}"
            )
            dossier.filed_at = now
            dossier.project_class = classification.project_class
            dossier.classification_reasons = list(classification.reasons)
        rounds = list(dossier.rounds.order_by("number"))
        number = len(rounds) + 1
        new_round = Round.objects.create(
            dossier=dossier, number=number, submitted_at=now, submitted_by=actor,
            declared_snapshot=declared, documents_snapshot=_documents_snapshot(dossier),
        )
        old_status = dossier.status
        dossier.status = S.SUBMITTED
        dossier.submit_token = token
        if dossier.project_class.declaration_only:
            return _acknowledge_declaration(actor, dossier, old_status, now, number)
        dossier.save()
        _audit(actor, "dossier.resubmitted" if resubmission else "dossier.submitted", dossier,
               changes={"status": [old_status, S.SUBMITTED]},
               data={"reference": dossier.reference, "round": number,
                     "project_class": dossier.project_class.code})
        due = clock.refresh_due_date(dossier, rounds=[*rounds, new_round])
        _audit(None, "clock.resumed" if resubmission else "clock.started", dossier,
               data={"due_date": due, "rule": dossier.project_class.deadline_source_fr})
        payments.issue_invoice_on_filing(dossier, actor=actor)  # fees due on filing, if the procedure has any
        notify.dossier_event(dossier, "submitted" if not resubmission else "resubmitted")
    return dossier


def _acknowledge_declaration(actor, dossier: Dossier, old_status: str, now, number: int) -> Dossier:
    """Simple declaration (catalogue: ProjectClass.declaration_only): the receipt is the answer.
    The file is closed at once; no completeness check, no dispatch, no clock."""
    dossier.status = S.DECLARED
    dossier.closed_at = now
    dossier.legal_due_date = None
    dossier.save()
    _audit(actor, "dossier.declared", dossier, changes={"status": [old_status, S.DECLARED]},
           data={"reference": dossier.reference, "round": number, "project_class": dossier.project_class.code})
    notify.dossier_event(dossier, "submitted")
    return dossier


# --- completeness check at the single window -----------------------------------------------


def _resolve_organisation(kind: str, commune: Commune):
    """The body of that kind competent for the commune: the most local one wins."""
    from rokhas.accounts.models import Organisation

    qs = Organisation.objects.filter(kind=kind, active=True)
    return (qs.filter(commune=commune).first()
            or qs.filter(province=commune.province_id, commune__isnull=True).first()
            or qs.filter(region=commune.province.region_id, province__isnull=True, commune__isnull=True).first())


@transaction.atomic
def accept_and_dispatch(*, actor, dossier: Dossier) -> Dossier:
    from rokhas.review.models import Consultation
    from rokhas.workdays.calendar import add_days

    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    require(actor, Action.CHECK, dossier)
    current = dossier.rounds.order_by("-number").first()
    now = timezone.now()
    current.accepted_at = now
    current.save(update_fields=["accepted_at"])
    seats = list(dossier.project_class.seats.all())
    unresolved = []
    for seat in seats:
        org = _resolve_organisation(seat.organisation_kind, dossier.commune)
        if org is None:
            unresolved.append(seat.organisation_kind)
            continue
        consultation = Consultation.objects.create(
            dossier=dossier, round=current, organisation=org, seat=seat, dispatched_at=now,
            due_date=add_days(timezone.localdate(now), seat.days, seat.day_kind),
        )
        _audit(actor, "dossier.dispatched", dossier, data={
            "organisation": org.code, "due_date": consultation.due_date, "days": seat.days,
            "day_kind": seat.day_kind,
        })
    if unresolved:
        # Dispatching to a partial commission would be silently wrong: refuse and say who is missing.
        raise ValidationError(
            _("No organisation is configured for: %(kinds)s. Ask the administrator.")
            % {"kinds": ", ".join(unresolved)}, code="commission_incomplete")
    _set_status(actor, dossier, S.IN_REVIEW, "dossier.accepted", round=current.number)
    notify.dossier_event(dossier, "accepted")
    return dossier


@transaction.atomic
def return_for_complements(*, actor, dossier: Dossier, reasons: list[ReturnReason], message: str) -> Dossier:
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    require(actor, Action.CHECK, dossier)
    if not reasons:
        raise ValidationError({"reasons": [_("Choose at least one coded reason.")]})
    message = (message or "").strip()
    if len(message) > 4000:
        raise ValidationError({"message": [_("At most %(limit)d characters (%(count)d given).")
                                           % {"limit": 4000, "count": len(message)}]})
    current = dossier.rounds.order_by("-number").first()
    current.returned_at = timezone.now()
    current.returned_by = actor
    current.return_message = message
    current.save(update_fields=["returned_at", "returned_by", "return_message"])
    current.return_reasons.set(reasons)
    _set_status(actor, dossier, S.RETURNED, "dossier.returned", round=current.number,
                reasons=[r.code for r in reasons], message=message)
    clock.refresh_due_date(dossier)
    _audit(None, "clock.suspended", dossier, data={"round": current.number})
    notify.dossier_event(dossier, "returned")
    return dossier


@transaction.atomic
def post_message(*, actor, dossier: Dossier, body: str) -> Message:
    require(actor, Action.MESSAGE, dossier)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("This field is required.")]})
    if len(body) > 4000:
        raise ValidationError({"body": [_("At most %(limit)d characters (%(count)d given).")
                                        % {"limit": 4000, "count": len(body)}]})
    msg = Message.objects.create(dossier=dossier, author=actor, body=body)
    _audit(actor, "message.posted", dossier, data={"message": msg.pk})
    notify.dossier_event(dossier, "message")
    return msg


def round_changes(dossier: Dossier, number: int, rounds=None) -> dict:
    """What changed between round `number - 1` and round `number`: declared fields and
    documents replaced, added or removed. `rounds`: the file's rounds if already read."""
    if rounds is None:
        rounds = dossier.rounds.filter(number__in=[number - 1, number])
    rounds = {r.number: r for r in rounds if r.number in (number - 1, number)}
    if number not in rounds or number - 1 not in rounds:
        return {"fields": {}, "documents": {}}
    before, after = rounds[number - 1], rounds[number]
    docs = {}
    for code in sorted(set(before.documents_snapshot) | set(after.documents_snapshot)):
        old, new = before.documents_snapshot.get(code), after.documents_snapshot.get(code)
        if old != new:
            docs[code] = "added" if old is None else "removed" if new is None else "replaced"
    return {"fields": diff(before.declared_snapshot, after.declared_snapshot), "documents": docs}


def today() -> datetime.date:
    return timezone.localdate()
