"""Starting a file for an economic activity: the activity decides the procedure (its regime)."""

from __future__ import annotations

from django.db import transaction

from rokhas.dossiers import services as dossier_services
from rokhas.dossiers.models import Dossier
from rokhas.territory.models import Commune

from .models import Activity
from .selectors import prefilled_data


@transaction.atomic
def create_activity_draft(*, actor, commune: Commune, activity: Activity, owner, title: str) -> Dossier:
    """A draft under the procedure of the activity's regime, with the activity already declared
    (a classified establishment's class follows from the activity's category). Both steps are
    the dossier services', so access checks and the audit trail are theirs."""
    dossier = dossier_services.create_draft(actor=actor, commune=commune, procedure=activity.procedure,
                                            owner=owner, title=title)
    return dossier_services.update_draft(actor=actor, dossier=dossier, title=None,
                                         declared=prefilled_data(activity))
