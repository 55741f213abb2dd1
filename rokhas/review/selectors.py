"""Reads for the commission members' worklists and the consolidated view."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from rokhas.dossiers.access import reviewer_organisations
from rokhas.dossiers.models import Dossier

from .models import Consultation, Opinion


def pending_consultations(user) -> QuerySet[Consultation]:
    """Consultations of the user's organisations on files still under review, most urgent first."""
    return (
        Consultation.objects.filter(organisation_id__in=reviewer_organisations(user), open=True,
                                    dossier__status=Dossier.Status.IN_REVIEW)
        .select_related("dossier", "dossier__commune", "organisation", "round")
        .with_catalogue("dossier")
        .prefetch_related("opinions")  # the worklist shows each one's current opinion
        .order_by("due_date", "dossier_id")
    )


def opinions_of(dossier: Dossier) -> list[Consultation]:
    """Every consultation of every round with its opinions, oldest round first."""
    return list(
        Consultation.objects.filter(dossier=dossier)
        .select_related("organisation", "round", "seat")
        .prefetch_related(Prefetch("opinions", Opinion.objects.select_related("author")))
        .order_by("round__number", "organisation__kind")
    )
