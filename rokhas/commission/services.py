"""Writes of commission sessions. Each function checks access through .access (which asks
rokhas.dossiers.access about the files), changes the database in one transaction with its
audit entry, and sends mail only after the commit."""

from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rokhas.accounts.models import Organisation
from rokhas.audit.services import record
from rokhas.documents.models import DocumentVersion
from rokhas.dossiers.models import Dossier
from rokhas.review import services as review
from rokhas.review.models import Consultation, Opinion
from rokhas.signing import pin_guard
from rokhas.signing.models import SignerCredential
from rokhas.signing.services import SigningError, WrongPinError, sign_pdf

from . import selectors
from .access import Action, organisation_scope, organiser_organisations, require
from .minutes import render_minutes, session_reference
from .models import AgendaItem, Annotation, MinutesSignature, Participant, Session

MAX_TEXT = 2000
A = Participant.Attendance


def _audit(actor, action: str, session: Session, dossier_id: int | None = None, **data):
    return record(actor=actor, action=action, obj=session, dossier_id=dossier_id, data=data)


def _locked(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("organisation").get(pk=session.pk)


def _require_open(session: Session) -> None:
    if session.status != Session.Status.SCHEDULED:
        raise ValidationError(_("This session is closed: its minutes are drafted."), code="session_closed")


# --- scheduling and agenda ------------------------------------------------------------------


def _clean_session_fields(*, starts_at, mode: str, place: str, video_url: str) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    if not isinstance(starts_at, datetime.datetime):
        errors["starts_at"] = [_("Enter a valid date and time.")]
    if mode not in Session.Mode.values:
        errors["mode"] = [_("Choose one of the proposed values.")]
    place, video_url = (place or "").strip(), (video_url or "").strip()
    if len(place) > 200:
        errors["place"] = [_("At most %(limit)d characters (%(count)d given).") % {"limit": 200, "count": len(place)}]
    if mode in (Session.Mode.IN_PERSON, Session.Mode.HYBRID) and not place:
        errors["place"] = [_("Say where the members meet.")]
    if video_url:
        try:
            URLValidator(schemes=["https"])(video_url)
            if len(video_url) > 500:
                raise ValidationError("too long")
        except ValidationError:
            errors["video_url"] = [_("Enter a secure (https://) link to the video room.")]
    if errors:
        raise ValidationError(errors)
    return place, video_url


def _organiser_for(actor, organisation: Organisation | None) -> Organisation:
    mine = list(organiser_organisations(actor))
    if organisation is None:
        if len(mine) != 1:
            raise ValidationError(_("Choose the single window that organises the session."), code="organisation")
        return mine[0]
    if organisation.pk not in {o.pk for o in mine}:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only the single window that organises this session can do this."))
    return organisation


def _fill_agenda(session: Session) -> int:
    until = timezone.localdate(session.starts_at) + datetime.timedelta(days=selectors.agenda_horizon_days())
    room = selectors.agenda_size() - session.agenda_items.count()
    if room <= 0:
        return 0
    position = selectors.next_position(session)
    rows = selectors.agenda_candidates(session.organisation, until=until, limit=room, session=session)
    AgendaItem.objects.bulk_create([AgendaItem(session=session, dossier_id=dossier_id, due_date=due,
                                               position=position + i) for i, (dossier_id, due) in enumerate(rows)])
    return len(rows)


@transaction.atomic
def create_session(*, actor, starts_at, mode: str, place: str = "", video_url: str = "",
                   organisation: Organisation | None = None) -> Session:
    """Schedule a session; its agenda is built at once from the files whose opinions are due."""
    org = _organiser_for(actor, organisation)
    place, video_url = _clean_session_fields(starts_at=starts_at, mode=mode, place=place, video_url=video_url)
    session = Session.objects.create(organisation=org, starts_at=starts_at, mode=mode, place=place,
                                     video_url=video_url, created_by=actor)
    require(actor, Action.ORGANISE, session)  # second factor included; rolls back on refusal
    added = _fill_agenda(session)
    _audit(actor, "commission.session_scheduled", session, organisation=org.code, starts_at=starts_at,
           mode=mode, agenda=added)
    return session


@transaction.atomic
def add_to_agenda(*, actor, session: Session, dossier: Dossier) -> AgendaItem:
    session = _locked(session)
    require(actor, Action.ORGANISE, session)
    _require_open(session)
    in_scope = Dossier.objects.filter(organisation_scope(session.organisation), pk=dossier.pk,
                                      status=Dossier.Status.IN_REVIEW).exists()
    if not in_scope:
        raise ValidationError(_("Only files under review handled by this single window can be put on the agenda."),
                              code="not_in_scope")
    if session.agenda_items.filter(dossier=dossier).exists():
        raise ValidationError(_("This file is already on the agenda."), code="duplicate")
    item = AgendaItem.objects.create(session=session, dossier=dossier, position=selectors.next_position(session),
                                     due_date=selectors.earliest_awaited_due(dossier), added_by_hand=True)
    _audit(actor, "commission.agenda_added", session, dossier_id=dossier.pk, reference=dossier.reference)
    return item


@transaction.atomic
def remove_from_agenda(*, actor, session: Session, dossier: Dossier) -> None:
    session = _locked(session)
    require(actor, Action.ORGANISE, session)
    _require_open(session)
    if Annotation.objects.filter(session=session, dossier=dossier).exists():
        raise ValidationError(_("This file was already discussed (annotations exist): it stays on the agenda."),
                              code="discussed")
    deleted, _rows = session.agenda_items.filter(dossier=dossier).delete()
    if not deleted:
        raise ValidationError(_("This file is not on the agenda."), code="not_on_agenda")
    _audit(actor, "commission.agenda_removed", session, dossier_id=dossier.pk, reference=dossier.reference)


@transaction.atomic
def move_on_agenda(*, actor, session: Session, dossier: Dossier, offset: int) -> None:
    """Move a file up (offset -1) or down (+1) the agenda."""
    session = _locked(session)
    require(actor, Action.ORGANISE, session)
    _require_open(session)
    items = list(session.agenda_items.order_by("position", "pk"))
    index = next((i for i, item in enumerate(items) if item.dossier_id == dossier.pk), None)
    if index is None:
        raise ValidationError(_("This file is not on the agenda."), code="not_on_agenda")
    target = index + (1 if offset > 0 else -1)
    if not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    for position, item in enumerate(items, start=1):
        item.position = position
    AgendaItem.objects.bulk_update(items, ["position"])
    _audit(actor, "commission.agenda_reordered", session, dossier_id=dossier.pk, position=target + 1)


# --- invitations and attendance -------------------------------------------------------------


@transaction.atomic
def send_invitations(*, actor, session: Session) -> int:
    """Invite every member of the commission of each file on the agenda (once); the mails go
    after the commit. Returns how many were invited now."""
    session = _locked(session)
    require(actor, Action.ORGANISE, session)
    _require_open(session)
    if not session.agenda_items.exists():
        raise ValidationError(_("The agenda is empty: there is nobody to invite."), code="empty_agenda")
    now = timezone.now()
    known = set(session.participants.values_list("user_id", flat=True))
    Participant.objects.bulk_create([Participant(session=session, user_id=user_id, organisation_id=org_id)
                                     for user_id, org_id in selectors.commission_members(session)
                                     if user_id not in known])
    new = list(session.participants.filter(invited_at__isnull=True).values_list("pk", flat=True))
    session.participants.filter(pk__in=new).update(invited_at=now)
    session.invitations_sent_at = now
    session.save(update_fields=["invitations_sent_at"])
    _audit(actor, "commission.invitations_sent", session, invited=len(new))

    def enqueue():
        from .tasks import send_invitation

        for participant_id in new:
            send_invitation.enqueue(participant_id=participant_id, attempt=1)

    transaction.on_commit(enqueue)
    return len(new)


@transaction.atomic
def record_attendance(*, actor, session: Session, attendance: dict[int, str]) -> None:
    """`attendance`: participant id -> present / absent / excused."""
    session = _locked(session)
    require(actor, Action.ORGANISE, session)
    _require_open(session)
    by_id = {p.pk: p for p in session.participants.all()}
    unknown = [pid for pid in attendance if pid not in by_id]
    bad = [value for value in attendance.values() if value not in (A.PRESENT, A.ABSENT, A.EXCUSED)]
    if unknown or bad:
        raise ValidationError(_("Record present, absent or excused for the members invited to this session."),
                              code="attendance")
    now = timezone.now()
    changed = []
    for pid, value in attendance.items():
        p = by_id[pid]
        if p.attendance != value:
            p.attendance, p.attendance_recorded_at = value, now
            changed.append(p)
    Participant.objects.bulk_update(changed, ["attendance", "attendance_recorded_at"])
    if changed:
        _audit(actor, "commission.attendance_recorded", session,
               attendance={str(p.user_id): p.attendance for p in changed})


# --- the discussion: annotations and opinions -----------------------------------------------


def _number(value, name: str, low: float, high: float, errors: dict) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors[name] = [_("Enter a number.")]
        return None
    if not (low <= number <= high):  # also refuses NaN
        errors[name] = [_("Enter a position on the page (from 0 to 1).")]
        return None
    return number


def _clean_annotation(version: DocumentVersion, page, x, y, width, height, text: str) -> dict:
    errors: dict[str, list[str]] = {}
    try:
        page = int(page)
    except (TypeError, ValueError):
        page = 0
    if page < 1 or (version.pages and page > version.pages):
        errors["page"] = [_("This document has no such page.")]
    cleaned = {"page": page, "x": _number(x, "x", 0, 1, errors), "y": _number(y, "y", 0, 1, errors),
               "width": None, "height": None}
    if width not in (None, "") or height not in (None, ""):
        cleaned["width"] = _number(width, "width", 0, 1, errors)
        cleaned["height"] = _number(height, "height", 0, 1, errors)
    text = (text or "").strip()
    if not text:
        errors["text"] = [_("This field is required.")]
    elif len(text) > MAX_TEXT:
        errors["text"] = [_("At most %(limit)d characters (%(count)d given).") % {"limit": MAX_TEXT, "count": len(text)}]
    if errors:
        raise ValidationError(errors)
    return {**cleaned, "text": text}


def annotate(*, actor, session: Session, dossier: Dossier, version: DocumentVersion, page, x, y,
             width=None, height=None, text: str) -> Annotation:
    """A member's note on a page of the file's current document version, seen live by the others."""
    if version.document.dossier_id != dossier.pk:
        raise ValidationError(_("This document does not belong to this file."), code="wrong_file")
    data = _clean_annotation(version, page, x, y, width, height, text)
    with transaction.atomic():
        # The session row lock orders the inserts: ids grow in commit order, so the readers'
        # "id > cursor" polling never skips a note committed late (services docs/commission.md).
        session = _locked(session)
        require(actor, Action.DISCUSS, session, dossier)
        _require_open(session)
        newest = DocumentVersion.objects.filter(document_id=version.document_id).order_by("-number").first()
        if newest.pk != version.pk:
            raise ValidationError(_("This version was replaced: annotate the current version."), code="replaced")
        annotation = Annotation.objects.create(session=session, dossier=dossier, document_version=version,
                                               author=actor, **data)
        _audit(actor, "commission.annotated", session, dossier_id=dossier.pk, annotation=annotation.pk,
               version=version.pk, page=data["page"])
    return annotation


def give_opinion_in_session(*, actor, session: Session, dossier: Dossier, verdict: str, text: str,
                            consultation: Consultation | None = None) -> Opinion:
    """A member's opinion on a file of the agenda, given during the session (review.give_opinion)."""
    with transaction.atomic():
        session = _locked(session)
        require(actor, Action.DISCUSS, session, dossier)
        _require_open(session)
        opinion = review.give_opinion(actor=actor, dossier=dossier, consultation=consultation, verdict=verdict,
                                      text=text)
        _audit(actor, "commission.opinion_in_session", session, dossier_id=dossier.pk, opinion=opinion.pk)
    return opinion


# --- minutes ---------------------------------------------------------------------------------


def _store_minutes(session: Session, pdf: bytes, suffix: str) -> str:
    return default_storage.save(f"commission/minutes/session-{session.pk}-{suffix}.pdf", ContentFile(pdf))


def draft_minutes(*, actor, session: Session) -> Session:
    """Close the discussion and render the minutes; the members present then sign them in turn."""
    name = ""
    try:
        with transaction.atomic():
            session = _locked(session)
            require(actor, Action.ORGANISE, session)
            _require_open(session)
            members = list(session.participants.all())
            if not members:
                raise ValidationError(_("Invite the members before drafting the minutes."), code="no_members")
            if any(p.attendance == A.UNKNOWN for p in members):
                raise ValidationError(_("Record the attendance of every member invited first."), code="attendance")
            if not any(p.attendance == A.PRESENT for p in members):
                raise ValidationError(_("No member was present: there are no minutes to sign."), code="nobody")
            pdf = render_minutes(session)
            name = _store_minutes(session, pdf, "0")
            session.status = Session.Status.SIGNING
            session.minutes_storage_name = name
            session.minutes_sha256 = hashlib.sha256(pdf).hexdigest()
            session.minutes_drafted_at = timezone.now()
            session.save(update_fields=["status", "minutes_storage_name", "minutes_sha256", "minutes_drafted_at"])
            _audit(actor, "commission.minutes_drafted", session, sha256=session.minutes_sha256,
                   reference=session_reference(session))
    except Exception:
        if name:
            default_storage.delete(name)  # no orphan PDF when the transaction fails
        raise
    return session


def _credential_for(user) -> SignerCredential:
    now = timezone.now()
    for cred in SignerCredential.objects.filter(user=user, revoked_at__isnull=True).order_by("-not_after"):
        if cred.is_usable(now):
            return cred
    raise ValidationError(_("You have no valid signing certificate. Ask the administrator to issue or import one."),
                          code="no_certificate")


def sign_minutes(*, actor, session: Session, pin: str) -> MinutesSignature:
    """Add the actor's PAdES signature to the minutes (an incremental update: earlier
    signatures stay valid). When every member present has signed, the session is closed."""
    require(actor, Action.SIGN, session)
    credential = _credential_for(actor)
    if pin_guard.is_locked(credential):
        raise ValidationError({"pin": ValidationError(
            _("Too many wrong PINs: signing with this certificate is paused for 15 minutes."), code="pin_locked")})
    name = ""
    try:
        with transaction.atomic():
            session = _locked(session)
            require(actor, Action.SIGN, session)
            if session.signatures.filter(signer=actor).exists():
                raise ValidationError(_("You have already signed these minutes."), code="already_signed")
            position = session.signatures.count() + 1
            with default_storage.open(session.minutes_storage_name, "rb") as fh:
                current = fh.read()
            signed = sign_pdf(current, credential=credential, pin=pin, field_name=f"Membre{position}",
                              reason=f"Procès-verbal {session_reference(session)}",
                              location=session.organisation.name_fr)
            name = _store_minutes(session, signed, str(position))
            previous = session.minutes_storage_name
            signature = MinutesSignature.objects.create(
                session=session, signer=actor, position=position, signed_at=timezone.now(),
                certificate_serial=credential.serial_number, sha256=hashlib.sha256(signed).hexdigest())
            session.minutes_storage_name, session.minutes_sha256 = name, signature.sha256
            present = session.participants.filter(attendance=A.PRESENT).count()
            if position >= present:
                session.status = Session.Status.CLOSED
            session.save(update_fields=["minutes_storage_name", "minutes_sha256", "status"])
            _audit(actor, "commission.minutes_signed", session, position=position, sha256=signature.sha256,
                   certificate=credential.serial_number, closed=session.status == Session.Status.CLOSED)
            transaction.on_commit(lambda: default_storage.delete(previous))
    except WrongPinError as exc:
        if name:
            default_storage.delete(name)
        locked = pin_guard.record_failure(credential)
        record(actor=actor, action="signing.pin_rejected", obj=credential, data={"locked": locked})
        raise ValidationError({"pin": ValidationError(str(exc), code="wrong_pin")}) from exc
    except SigningError as exc:
        if name:
            default_storage.delete(name)
        raise ValidationError({"pin": ValidationError(str(exc), code="signing_failed")}) from exc
    except Exception:
        if name:
            default_storage.delete(name)
        raise
    pin_guard.record_success(credential)
    return signature
