"""Who may do what with fees and payments. The single place that decides it.

On a file, the dossier rules apply (rokhas.dossiers.access): whoever may see the file sees its
invoices; only the applicant and the owner pay. Receipts: the parties and the commune's staff.
The cashier view of a commune: its single-window agents, its president and delegate (or the
provincial committee for the communes it serves), and supervisors within their scope —
never another commune's staff.
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
from rokhas.territory.models import Commune

Role = Membership.Role
Kind = Organisation.Kind


class Action(StrEnum):
    VIEW_FEES = "view_fees"
    PAY = "pay"
    RECEIPT = "receipt"
    CASHIER = "cashier"


def cashier_communes(user) -> QuerySet[Commune]:
    """The communes whose collected fees this user may see."""
    if not user.is_authenticated:
        return Commune.objects.none()
    q = Q(pk__in=[])
    # The dossier access module's reading of memberships: once per request (its middleware scope).
    for m in dossier_access.active_memberships(user):
        org = m.organisation
        if m.role in (Role.GUICHET_AGENT, Role.PRESIDENT, Role.DELEGATE):
            if org.kind in (Kind.COMMUNE, Kind.ARRONDISSEMENT) and org.commune_id:
                q |= Q(pk=org.commune_id)
            elif m.role == Role.GUICHET_AGENT and org.kind == Kind.PROVINCIAL_COMMITTEE and org.province_id:
                q |= Q(province_id=org.province_id)
        elif m.role == Role.SUPERVISOR:
            if org.kind == Kind.MINISTRY and not (org.region_id or org.province_id or org.commune_id):
                return Commune.objects.all()
            if org.commune_id:
                q |= Q(pk=org.commune_id)
            elif org.province_id:
                q |= Q(province_id=org.province_id)
            elif org.region_id:
                q |= Q(province__region_id=org.region_id)
    return Commune.objects.filter(q)


def _cashier_of(user, commune_id: int) -> bool:
    return second_factor.satisfied(user) and cashier_communes(user).filter(pk=commune_id).exists()


def can(user, action: Action, *, dossier: Dossier | None = None, commune: Commune | None = None) -> bool:
    if not user.is_authenticated:
        return False
    if action == Action.VIEW_FEES:
        return dossier_access.can(user, dossier_access.Action.VIEW, dossier)
    if action == Action.PAY:
        return dossier_access.is_party(user, dossier) and dossier.status != Dossier.Status.DRAFT
    if action == Action.RECEIPT:
        return dossier_access.is_party(user, dossier) or _cashier_of(user, dossier.commune_id)
    if action == Action.CASHIER:
        return commune is not None and _cashier_of(user, commune.pk)
    return False


_DENIED = {
    Action.VIEW_FEES: _("You do not have access to this file."),
    Action.PAY: _("Only the applicant or the owner can pay the fees of this file."),
    Action.RECEIPT: _("Only the applicant, the owner and the commune's staff can see the payment receipts."),
    Action.CASHIER: _("You can only see the payments collected by your own commune."),
}


def require(user, action: Action, **kwargs) -> None:
    if not can(user, action, **kwargs):
        raise PermissionDenied(_DENIED[action])
