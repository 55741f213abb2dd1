"""Home page: what Rokhas is, and for a signed-in person a dashboard by role."""

from __future__ import annotations

from django.shortcuts import render

from rokhas.accounts.models import Membership
from rokhas.dossiers.access import visible_dossiers
from rokhas.dossiers.selectors import MyFiles, guichet_followup, guichet_worklist, president_worklist
from rokhas.payments.access import cashier_communes
from rokhas.review.selectors import pending_consultations

from ..helpers import paginate

R = Membership.Role


def home(request):
    user = request.user
    if not user.is_authenticated:
        return render(request, "web/home.html", {})
    memberships = list(Membership.objects.filter(user=user, active=True, organisation__active=True)
                       .select_related("organisation"))
    roles = {m.role for m in memberships}
    ctx = {"memberships": memberships, "sections": []}
    ctx["cashier"] = bool(memberships) and cashier_communes(user).exists()  # link to the fees collected
    mine = MyFiles(user)
    if not memberships or mine.exists():
        ctx["my_files"] = paginate(request, mine, "page_mine")
        ctx["can_file"] = not memberships
    if R.GUICHET_AGENT in roles:
        ctx["worklist"] = paginate(request, guichet_worklist(user), "page_work")
        ctx["followup"] = paginate(request, guichet_followup(user), "page_follow")
    if R.REVIEWER in roles:
        ctx["consultations"] = paginate(request, pending_consultations(user), "page_consult")
    if roles & {R.PRESIDENT, R.DELEGATE}:
        ctx["to_decide"] = paginate(request, president_worklist(user), "page_decide")
    if R.SUPERVISOR in roles:
        visible = (visible_dossiers(user).select_related("commune", "procedure_version__procedure", "project_class")
                   .order_by("legal_due_date", "-filed_at", "pk"))
        ctx["supervised"] = paginate(request, visible, "page_super")
    return render(request, "web/dashboard.html", ctx)
