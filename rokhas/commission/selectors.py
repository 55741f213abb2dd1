"""Reads for commission sessions: the automatic agenda, the members to invite, the live
annotations (cursor) and what the file page and the minutes show."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, Max, Min, OuterRef, Prefetch, QuerySet

from rokhas.accounts.models import Membership, Organisation
from rokhas.documents.models import DocumentVersion
from rokhas.dossiers.models import Dossier
from rokhas.review.models import Consultation, Opinion

from .access import organisation_scope
from .models import AgendaItem, Annotation, Participant, Session

S = Dossier.Status


def agenda_horizon_days() -> int:
    return int(getattr(settings, "ROKHAS_COMMISSION_AGENDA_HORIZON_DAYS", 30))


def agenda_size() -> int:
    return int(getattr(settings, "ROKHAS_COMMISSION_AGENDA_SIZE", 40))


def awaited_consultations() -> QuerySet[Consultation]:
    """Consultations still waiting for a final opinion (none yet, or only 'postponed')."""
    final = Opinion.objects.filter(consultation_id=OuterRef("pk")).exclude(verdict=Opinion.Verdict.AJOURNE)
    return Consultation.objects.filter(dossier__status=S.IN_REVIEW).exclude(Exists(final))


def agenda_candidates(organisation: Organisation, *, until: datetime.date, limit: int,
                      session: Session | None = None) -> list[tuple[int, datetime.date]]:
    """(file id, earliest awaited due date) of the files under review that this single window
    handles, with an opinion awaited by `until`, not already on another open session's agenda
    or on this one; most urgent first. One grouped query (indexes: dossier (commune, status),
    consultation (dossier), opinion (consultation))."""
    elsewhere = AgendaItem.objects.filter(dossier_id=OuterRef("dossier_id"), session__status=Session.Status.SCHEDULED)
    rows = (awaited_consultations()
            .filter(organisation_scope(organisation, prefix="dossier__"))
            .exclude(Exists(elsewhere))
            .values("dossier_id")
            .annotate(due=Min("due_date"))
            # HAVING, not WHERE due_date <= until: a WHERE on the date invites a scan of every
            # consultation ever made (closed ones are all past due); this way the work is bounded
            # by the open files of this single window (index on the file's commune and status).
            .filter(due__lte=until)
            .order_by("due", "dossier_id"))
    return [(row["dossier_id"], row["due"]) for row in rows[:limit]]


def earliest_awaited_due(dossier: Dossier) -> datetime.date | None:
    return awaited_consultations().filter(dossier=dossier).aggregate(due=Min("due_date"))["due"]


def agenda(session: Session) -> list[AgendaItem]:
    return list(session.agenda_items.select_related(
        "dossier", "dossier__commune", "dossier__procedure_version__procedure", "dossier__project_class")
        .order_by("position", "pk"))


def next_position(session: Session) -> int:
    return (session.agenda_items.aggregate(top=Max("position"))["top"] or 0) + 1


def commission_members(session: Session) -> list[tuple[int, int]]:
    """(user id, organisation id) of every commission member of the agenda's files: the active
    reviewers of the organisations consulted on them. A user is listed once."""
    orgs = (Consultation.objects.filter(dossier__agenda_items__session=session, dossier__status=S.IN_REVIEW)
            .values("organisation_id"))
    rows = (Membership.objects.filter(organisation_id__in=orgs, role=Membership.Role.REVIEWER, active=True,
                                      organisation__active=True, user__is_active=True)
            .order_by("user_id", "organisation_id").values_list("user_id", "organisation_id"))
    seen: dict[int, int] = {}
    for user_id, org_id in rows:
        seen.setdefault(user_id, org_id)
    return list(seen.items())


def participants(session: Session) -> list[Participant]:
    return list(session.participants.select_related("user", "organisation")
                .order_by("organisation__kind", "user__last_name", "pk"))


def sessions_for(qs: QuerySet[Session]) -> QuerySet[Session]:
    return qs.select_related("organisation").order_by("-starts_at", "-pk")


def annotations_since(session: Session, dossier: Dossier, since: int = 0, limit: int = 200) -> list[Annotation]:
    """Annotations of this file in this session after the cursor (ids grow in commit order:
    services.annotate takes the session's row lock before inserting)."""
    return list(Annotation.objects.filter(session=session, dossier=dossier, pk__gt=since)
                .select_related("author", "document_version").order_by("pk")[:limit])


@dataclass(frozen=True)
class AnnotationView:
    annotation: Annotation
    current: bool  # False: the document has a newer version; the note stays on the old one


def annotations_of(dossier: Dossier) -> list[AnnotationView]:
    """Every annotation kept with the file, and whether its version is still the current one."""
    items = list(Annotation.objects.filter(dossier=dossier)
                 .select_related("author", "document_version__document__document_type", "session")
                 .order_by("document_version__document__document_type__code", "document_version__number", "page", "pk"))
    latest = dict(DocumentVersion.objects.filter(document__dossier=dossier).values("document_id")
                  .annotate(top=Max("number")).values_list("document_id", "top"))
    return [AnnotationView(a, a.document_version.number == latest.get(a.document_version.document_id))
            for a in items]


def session_documents(dossier: Dossier):
    """The file's documents with their current version (what the session looks at)."""
    from rokhas.documents.models import Document

    return list(Document.objects.filter(dossier=dossier).select_related("document_type")
                .prefetch_related(Prefetch("versions", queryset=DocumentVersion.objects.order_by("-number")))
                .order_by("document_type__code"))


def opinions_for_minutes(session: Session) -> list[tuple[AgendaItem, list[Consultation]]]:
    items = agenda(session)
    by_file: dict[int, list[Consultation]] = {item.dossier_id: [] for item in items}
    consultations = (Consultation.objects.filter(dossier_id__in=by_file)
                     .select_related("organisation", "round")
                     .prefetch_related(Prefetch("opinions", queryset=Opinion.objects.select_related("author")
                                                .order_by("given_at", "id")))
                     .order_by("dossier_id", "-round__number", "organisation__kind"))
    latest_round: dict[int, int] = {}
    for c in consultations:
        latest_round.setdefault(c.dossier_id, c.round.number)
        if c.round.number == latest_round[c.dossier_id]:
            by_file[c.dossier_id].append(c)
    return [(item, by_file[item.dossier_id]) for item in items]
