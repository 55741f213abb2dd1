"""Who may do what in a commission session. Rules on the files themselves are asked of
rokhas.dossiers.access (the one place that decides access to files); this module only adds
what a session changes: who organises it and who sits on which file's commission.

- The single window that organises the session (its guichet agents; the provincial committee
  for the small communes) schedules it, adjusts its agenda, invites, records attendance and
  closes it.
- A commission member takes part in a file's discussion (sees its plans in the session,
  annotates them, gives the opinion) only if their organisation is consulted on that file.
- Every member present signs the minutes.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from rokhas.accounts import second_factor
from rokhas.accounts.models import Membership, Organisation
from rokhas.dossiers import access as dossier_access
from rokhas.dossiers.models import Dossier

from .models import Participant, Session

Role = Membership.Role
Kind = Organisation.Kind


class Action(StrEnum):
    VIEW = "view"              # see the session, its agenda and attendance
    ORGANISE = "organise"      # adjust the agenda, invite, record attendance, close
    DISCUSS = "discuss"        # a file of the agenda: see its plans, annotate, give the opinion
    SIGN = "sign"              # sign the minutes


def organiser_organisations(user) -> QuerySet[Organisation]:
    """The single windows this user staffs (commune guichet or provincial committee)."""
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=Role.GUICHET_AGENT, memberships__active=True, active=True,
        kind__in=[Kind.COMMUNE, Kind.ARRONDISSEMENT, Kind.PROVINCIAL_COMMITTEE])


def organisation_scope(org: Organisation, prefix: str = "") -> Q:
    """The files a single window handles: dossiers.access.guichet_scope for one organisation
    (`prefix` reaches the file from another model, e.g. "dossier__")."""
    if org.kind in (Kind.COMMUNE, Kind.ARRONDISSEMENT) and org.commune_id:
        return Q(**{f"{prefix}commune_id": org.commune_id})
    if org.kind == Kind.PROVINCIAL_COMMITTEE and org.province_id:
        return Q(**{f"{prefix}commune__province_id": org.province_id})
    return Q(pk__in=[])


def is_organiser(user, session: Session) -> bool:
    return user.is_authenticated and organiser_organisations(user).filter(pk=session.organisation_id).exists()


def participant(user, session: Session) -> Participant | None:
    if not user.is_authenticated:
        return None
    return Participant.objects.filter(session=session, user=user).first()


def on_commission(user, dossier: Dossier) -> bool:
    """The user's organisation is consulted on the file's current round (dossiers.access)."""
    return bool(dossier_access.consultations_for(user, dossier))


def visible_sessions(user) -> QuerySet[Session]:
    if not user.is_authenticated:
        return Session.objects.none()
    organised = Q(organisation__in=organiser_organisations(user))
    return Session.objects.filter(organised | Q(participants__user=user)).distinct()


def can(user, action: Action, session: Session, dossier: Dossier | None = None) -> bool:
    if not user.is_authenticated:
        return False
    if action == Action.VIEW:
        return is_organiser(user, session) or participant(user, session) is not None
    if not second_factor.satisfied(user):
        return False
    if action == Action.ORGANISE:
        return is_organiser(user, session)
    if action == Action.DISCUSS:
        # No separate VIEW check: being on the file's commission (consulted organisation) or
        # organising it (guichet scope) is exactly what makes a non-draft file visible in
        # dossiers.access.visible_dossiers, and agenda files are under review. Kept to a few
        # indexed queries: every participant's page polls through this check every second.
        if dossier is None:
            return False
        on_agenda = session.agenda_items.filter(dossier_id=dossier.pk)
        if is_organiser(user, session):
            return on_agenda.filter(organisation_scope(session.organisation, prefix="dossier__")).exists()
        return (on_agenda.exists() and participant(user, session) is not None
                and dossier.status != Dossier.Status.DRAFT and on_commission(user, dossier))
    if action == Action.SIGN:
        member = participant(user, session)
        return (session.status == Session.Status.SIGNING and member is not None
                and member.attendance == Participant.Attendance.PRESENT)
    return False


_DENIED = {
    Action.VIEW: _("You are not invited to this commission session."),
    Action.ORGANISE: _("Only the single window that organises this session can do this."),
    Action.DISCUSS: _("Your organisation is not on this file's commission: you cannot take part in its discussion."),
    Action.SIGN: _("Only the members present at the session sign its minutes, once they are drafted."),
}


def require(user, action: Action, session: Session, dossier: Dossier | None = None) -> None:
    if not can(user, action, session, dossier):
        raise PermissionDenied(_DENIED[action])
