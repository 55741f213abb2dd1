"""Reads of files: worklists, detail, timeline. Access scoping comes from access.py."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from rokhas.audit.models import AuditEntry
from rokhas.catalogue.models import ReturnReason
from rokhas.documents.models import Document, DocumentVersion

from . import clock
from .access import guichet_scope, president_scope, visible_dossiers
from .models import Dossier, Message, Round

S = Dossier.Status
# The procedure version and class come from the per-process catalogue cache (with_catalogue()).
_LIST_RELATED = ("commune", "applicant", "owner")

# Timeline entries shown to everyone who can see the file (all of them: an owner-blind or
# opinion-blind file invites corruption). Internal bookkeeping entries are left out.
TIMELINE_ACTIONS = (
    "dossier.created", "dossier.edited", "document.uploaded", "dossier.submitted", "dossier.resubmitted",
    "clock.started", "clock.suspended", "clock.resumed", "clock.overdue", "clock.expired",
    "dossier.accepted", "dossier.returned", "dossier.dispatched", "opinion.given", "decision.signed",
    "message.posted", "deadline.opinion_overdue", "deadline.opinion_escalated",
)


def my_dossiers(user, limit: int | None = None) -> QuerySet[Dossier]:
    """Files the user filed or owns, newest first.

    With `limit` (offset + page size), each role is read by its own index-ordered scan and
    the two are united: `applicant = X OR owner = X` would read and sort every file of a busy
    architect (bench/README.md, "my files")."""
    from django.db.models import Q

    qs = Dossier.objects.select_related(*_LIST_RELATED).with_catalogue().order_by("-created_at", "-pk")
    if limit is None or not connection.features.supports_slicing_ordering_in_compound:  # SQLite
        return qs.filter(Q(applicant=user) | Q(owner=user))
    newest = Dossier.objects.order_by("-created_at", "-pk").values("pk")
    filed = newest.filter(applicant=user)[:limit]
    owned = newest.filter(owner=user).exclude(applicant=user)[:limit]
    return qs.filter(pk__in=filed.union(owned, all=True))


class MyFiles:
    """The user's files for a paginated page: `count()` and slices, each slice read through
    `my_dossiers(user, limit=stop)` (the union of two index-ordered scans)."""

    def __init__(self, user):
        self.user = user

    def count(self) -> int:
        return my_dossiers(self.user).count()

    def exists(self) -> bool:
        return my_dossiers(self.user).exists()

    def __getitem__(self, item: slice) -> list[Dossier]:
        if not isinstance(item, slice) or item.step not in (None, 1):
            raise TypeError("MyFiles only supports page slices")
        start, stop = item.start or 0, item.stop
        if stop is None:
            return list(my_dossiers(self.user)[start:])
        return list(my_dossiers(self.user, limit=stop)[start:stop])


def guichet_worklist(user) -> QuerySet[Dossier]:
    """Filed files awaiting the completeness check, most urgent legal deadline first."""
    return (Dossier.objects.filter(guichet_scope(user), status=S.SUBMITTED)
            .select_related(*_LIST_RELATED).with_catalogue().order_by("legal_due_date", "filed_at", "pk"))


def guichet_followup(user) -> QuerySet[Dossier]:
    """Open files of the guichet's communes (under review or back with the applicant)."""
    return (Dossier.objects.filter(guichet_scope(user), status__in=[S.IN_REVIEW, S.RETURNED])
            .select_related(*_LIST_RELATED).with_catalogue().order_by("legal_due_date", "pk"))


def president_worklist(user) -> QuerySet[Dossier]:
    return (Dossier.objects.filter(president_scope(user), status=S.IN_REVIEW)
            .select_related(*_LIST_RELATED).with_catalogue().order_by("legal_due_date", "pk"))


def get_visible(user, pk: int) -> Dossier | None:
    return (visible_dossiers(user).select_related(*_LIST_RELATED, "decision").with_catalogue()
            .filter(pk=pk).first())


def documents_of(dossier: Dossier) -> list[Document]:
    return list(
        Document.objects.filter(dossier=dossier).select_related("document_type")
        .prefetch_related(Prefetch("versions", queryset=DocumentVersion.objects.order_by("-number")))
        .order_by("document_type__code")
    )


def timeline(dossier: Dossier) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(dossier_id=dossier.pk, action__in=TIMELINE_ACTIONS).order_by("seq")


def document_version_for(user, dossier: Dossier, version_id: int) -> DocumentVersion | None:
    """A document version of a file the user can see (None otherwise)."""
    if not visible_dossiers(user).filter(pk=dossier.pk).exists():
        return None
    return DocumentVersion.objects.filter(pk=version_id, document__dossier=dossier).first()


@dataclass(frozen=True)
class FileContents:
    """Everything the file page and the API detail show, read in a fixed number of queries."""

    rounds: list[Round]
    clock: clock.ClockState
    documents: list[Document]
    consultations: list  # review.Consultation, opinions (and their authors) prefetched
    decision: object | None  # decisions.Decision
    timeline: list[AuditEntry]
    messages: list[Message]


def file_contents(dossier: Dossier) -> FileContents:
    from rokhas.decisions.models import Decision
    from rokhas.review.selectors import opinions_of

    rounds = list(dossier.rounds.select_related("returned_by").order_by("number"))
    returned = [r for r in rounds if r.returned_at]
    prefetch_related_objects(returned, "return_reasons")
    for r in rounds:  # rounds never returned have no reasons: no query for them
        if not r.returned_at:
            r._prefetched_objects_cache = {"return_reasons": ReturnReason.objects.none()}
    if "decision" in dossier._state.fields_cache:  # joined by get_visible
        decision = dossier._state.fields_cache["decision"]
    elif dossier.status in Dossier.CLOSED_STATUSES:
        decision = Decision.objects.filter(dossier=dossier).first()
    else:
        decision = None
    return FileContents(
        rounds=rounds,
        clock=clock.compute(dossier, rounds=rounds),
        documents=documents_of(dossier),
        consultations=opinions_of(dossier),
        decision=decision,
        timeline=list(timeline(dossier)),
        messages=list(dossier.messages.select_related("author").order_by("created_at", "pk")),
    )
