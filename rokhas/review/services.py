"""Opinions of the commission members."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rokhas.audit.services import record
from rokhas.dossiers.access import Action, consultations_for, require
from rokhas.dossiers.models import Dossier
from rokhas.notifications import services as notify

from .models import Consultation, Opinion

V = Opinion.Verdict
# Reservations and reasons are what makes an opinion usable: required where they matter.
TEXT_REQUIRED = {
    V.FAVORABLE_RESERVES: _("State the reservations."),
    V.DEFAVORABLE: _("State the reasons for the unfavourable opinion."),
    V.AJOURNE: _("State what is needed to give an opinion."),
}


@transaction.atomic
def give_opinion(*, actor, dossier: Dossier, consultation: Consultation | None = None,
                 verdict: str, text: str) -> Opinion:
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    require(actor, Action.OPINION, dossier)
    mine = consultations_for(actor, dossier)
    if consultation is None:
        if len(mine) != 1:
            raise ValidationError(_("Choose the organisation you answer for."))
        consultation = mine[0]
    elif consultation.pk not in {c.pk for c in mine}:
        raise PermissionDenied(_("This file was not sent to your organisation for an opinion."))
    if verdict not in V.values:
        raise ValidationError({"verdict": [_("Choose one of the proposed values.")]})
    text = (text or "").strip()
    if verdict in TEXT_REQUIRED and not text:
        raise ValidationError({"text": [str(TEXT_REQUIRED[verdict])]})
    if len(text) > 8000:
        raise ValidationError({"text": [_("At most %(limit)d characters (%(count)d given).")
                                        % {"limit": 8000, "count": len(text)}]})
    current = consultation.current_opinion
    if current and current.verdict != V.AJOURNE:
        raise ValidationError(_("Your organisation has already given its opinion on this round."))
    opinion = Opinion.objects.create(consultation=consultation, verdict=verdict, text=text,
                                     author=actor, given_at=timezone.now())
    record(actor=actor, action="opinion.given", obj=opinion, dossier_id=dossier.pk, data={
        "organisation": consultation.organisation.code, "verdict": verdict, "text": text,
        "round": consultation.round.number,
    })
    notify.dossier_event(dossier, "opinion")
    return opinion
