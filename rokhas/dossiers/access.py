"""Who may do what on a file. The single place that decides access to dossiers.

Every entry point (web views, API endpoints, management commands) calls `require()` or
`visible_dossiers()`; none of them re-implements a rule. Officials are scoped by their
organisation: an agent of one commune never sees another commune's files, a commission
member only sees files dispatched to their organisation.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from rokhas.accounts import second_factor
from rokhas.accounts.models import Membership, Organisation

from .models import Dossier

Role = Membership.Role
Kind = Organisation.Kind


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"            # edit a draft or a returned file, upload documents
    SUBMIT = "submit"
    CHECK = "check"          # guichet: accept (dispatch) or return for complements
    OPINION = "opinion"      # commission member
    DECIDE = "decide"        # president or delegate
    MESSAGE = "message"


# Memberships read once per request (AccessScopeMiddleware opens the scope): a file page asks
# several questions (view? check? opinion? decide? message?) that all start from them.
# Outside a scope (services called by commands or tests) they are read at each question.
_scope_memberships: ContextVar[dict | None] = ContextVar("rokhas_scope_memberships", default=None)


@contextmanager
def memberships_read_once() -> Iterator[None]:
    if _scope_memberships.get() is not None:  # already inside a scope (a request)
        yield
        return
    token = _scope_memberships.set({})
    try:
        yield
    finally:
        _scope_memberships.reset(token)


def active_memberships(user) -> list[Membership]:
    cache = _scope_memberships.get()
    if cache is not None and user.pk in cache:
        return cache[user.pk]
    rows = list(Membership.objects.filter(user=user, active=True, organisation__active=True)
                .select_related("organisation"))
    if cache is not None:
        cache[user.pk] = rows
    return rows


def _memberships(user, roles) -> list[Membership]:
    return [m for m in active_memberships(user) if m.role in roles]


def _has_role(user, *roles) -> bool:
    return bool(_memberships(user, roles))


def guichet_scope(user) -> Q:
    """Files of the communes whose single window this user staffs: the commune itself, or,
    for the prefectural/provincial committee, the communes of its province."""
    q = Q(pk__in=[])
    for m in _memberships(user, [Role.GUICHET_AGENT]):
        org = m.organisation
        if org.kind in (Kind.COMMUNE, Kind.ARRONDISSEMENT) and org.commune_id:
            q |= Q(commune_id=org.commune_id)
        elif org.kind == Kind.PROVINCIAL_COMMITTEE and org.province_id:
            q |= Q(commune__province_id=org.province_id)
    return q


def president_scope(user) -> Q:
    q = Q(pk__in=[])
    for m in _memberships(user, [Role.PRESIDENT, Role.DELEGATE]):
        if m.organisation.commune_id:
            q |= Q(commune_id=m.organisation.commune_id)
    return q


def supervisor_scope(user) -> Q:
    q = Q(pk__in=[])
    for m in _memberships(user, [Role.SUPERVISOR]):
        org = m.organisation
        if org.kind == Kind.MINISTRY and not (org.region_id or org.province_id or org.commune_id):
            return Q(pk__isnull=False)  # national scope (an empty Q() would vanish in an OR)
        if org.commune_id:
            q |= Q(commune_id=org.commune_id)
        elif org.province_id:
            q |= Q(commune__province_id=org.province_id)
        elif org.region_id:
            q |= Q(commune__province__region_id=org.region_id)
    return q


def reviewer_organisations(user) -> list[int]:
    return [m.organisation_id for m in _memberships(user, [Role.REVIEWER])]


def _consulted(orgs: list[int]) -> Exists:
    # EXISTS rather than a join: no duplicate rows, hence no DISTINCT over the file's columns.
    from rokhas.review.models import Consultation

    return Exists(Consultation.objects.filter(dossier=OuterRef("pk"), organisation_id__in=orgs))


def visible_dossiers(user) -> QuerySet[Dossier]:
    if not user.is_authenticated:
        return Dossier.objects.none()
    party = Q(applicant=user) | Q(owner=user)
    with memberships_read_once():  # four scopes, one read
        official = guichet_scope(user) | president_scope(user) | supervisor_scope(user)
        orgs = reviewer_organisations(user)
    if orgs:
        official |= _consulted(orgs)
    return Dossier.objects.filter(party | (official & ~Q(status=Dossier.Status.DRAFT)))


def is_party(user, dossier: Dossier) -> bool:
    return user.is_authenticated and user.pk in (dossier.applicant_id, dossier.owner_id)


def _in_scope(user, dossier: Dossier, scope: Q) -> bool:
    return Dossier.objects.filter(scope, pk=dossier.pk).exists()


def can(user, action: Action, dossier: Dossier) -> bool:
    with memberships_read_once():
        return _can(user, action, dossier)


def _can(user, action: Action, dossier: Dossier) -> bool:
    if not user.is_authenticated:
        return False
    S = Dossier.Status
    if action == Action.VIEW:
        return is_party(user, dossier) or (
            dossier.status != S.DRAFT and visible_dossiers(user).filter(pk=dossier.pk).exists()
        )
    if action in (Action.EDIT, Action.SUBMIT):
        return user.pk == dossier.applicant_id and dossier.status in (S.DRAFT, S.RETURNED)
    # Acting needs the second factor (officials); it is asked last, once the rest allows.
    if action == Action.CHECK:
        return (dossier.status == S.SUBMITTED and _has_role(user, Role.GUICHET_AGENT)
                and _in_scope(user, dossier, guichet_scope(user)) and second_factor.satisfied(user))
    if action == Action.OPINION:
        return (dossier.status == S.IN_REVIEW and bool(consultations_for(user, dossier))
                and second_factor.satisfied(user))
    if action == Action.DECIDE:
        return (dossier.status == S.IN_REVIEW and _has_role(user, Role.PRESIDENT, Role.DELEGATE)
                and _in_scope(user, dossier, president_scope(user)) and second_factor.satisfied(user))
    if action == Action.MESSAGE:
        # Those who take part in the file talk on it; a supervisor only reads.
        if dossier.status == S.DRAFT:
            return False
        if is_party(user, dossier):
            return True
        if not _has_role(user, Role.GUICHET_AGENT, Role.PRESIDENT, Role.DELEGATE, Role.REVIEWER):
            return False
        scope = guichet_scope(user) | president_scope(user)
        orgs = reviewer_organisations(user)
        if orgs:
            scope |= _consulted(orgs)
        return _in_scope(user, dossier, scope)
    return False


_DENIED = {
    Action.VIEW: _("You do not have access to this file."),
    Action.EDIT: _("Only the applicant can change this file, and only while it is a draft or returned."),
    Action.SUBMIT: _("Only the applicant can submit this file, and only while it is a draft or returned."),
    Action.CHECK: _("Only the single window of this commune can check this file, once it is filed."),
    Action.OPINION: _("This file was not sent to your organisation for an opinion, or is no longer under review."),
    Action.DECIDE: _("Only the president of this commune or the president's delegate can decide, once the file is under review."),
    Action.MESSAGE: _("You cannot post a message on this file."),
}


def require(user, action: Action, dossier: Dossier) -> None:
    if not can(user, action, dossier):
        raise PermissionDenied(_DENIED[action])


def consultations_for(user, dossier: Dossier):
    """The current round's consultations this user may answer for."""
    from rokhas.review.models import Consultation

    orgs = reviewer_organisations(user)
    if not orgs or not dossier.pk:
        return []
    current = dossier.rounds.order_by("-number").first()
    return list(Consultation.objects.filter(dossier=dossier, round=current, organisation_id__in=orgs))


def is_official(user) -> bool:
    return user.is_authenticated and bool(active_memberships(user))
