"""The activity search of the "new application" page: which regime applies, and what follows."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rokhas.accounts.models import Organisation
from rokhas.activities.selectors import get_activity, search_activities, what_follows


def _row(activity) -> dict:
    follows = what_follows(activity)
    return {
        "activity": activity, "follows": follows,
        "bodies": [Organisation.Kind(kind).label if kind in Organisation.Kind.values else kind
                   for kind in follows.organisations],
    }


def activity_results_context(params) -> dict:
    """Rows for the search typed in `params` (GET of the htmx fragment, or POST of the page
    when JavaScript is off); the chosen activity stays listed."""
    query = (params.get("activity_q") or "")[:100]
    found = search_activities(query) if query.strip() else []
    chosen = get_activity(params.get("activity", "")) if params.get("activity") else None
    if chosen is not None and chosen not in found:
        found = [chosen, *found]
    return {"activity_rows": [_row(a) for a in found], "activity_searched": bool(query.strip()),
            "activity_selected": chosen.code if chosen else ""}


@login_required
@require_GET
def activity_search(request):
    """htmx fragment: the activities matching what was typed, each with its regime."""
    return render(request, "web/partials/activity_results.html", activity_results_context(request.GET))
