"""The minutes (procès-verbal) of a session as a bilingual PDF: attendance, then each file of
the agenda with each consulted organisation's opinion (and who gave it)."""

from __future__ import annotations

from django.utils import timezone

from rokhas.core.bilingual import both
from rokhas.pdfs import render
from rokhas.pdfs.render import w3c_datetime
from rokhas.review.models import Opinion

from . import selectors
from .models import Participant, Session

AWAITED = ("Avis non rendu", "لم يُبدَ الرأي بعد")
# Official wording, fixed here like the decision's (rokhas.pdfs.render.OUTCOME_LABELS).
MODE_LABELS = {
    Session.Mode.IN_PERSON: ("En présentiel", "حضوريا"),
    Session.Mode.REMOTE: ("À distance", "عن بعد"),
    Session.Mode.HYBRID: ("En présentiel et à distance", "حضوريا وعن بعد"),
}
ATTENDANCE_LABELS = {
    Participant.Attendance.UNKNOWN: ("Non renseignée", "غير محددة"),
    Participant.Attendance.PRESENT: ("Présent", "حاضر"),
    Participant.Attendance.ABSENT: ("Absent", "غائب"),
    Participant.Attendance.EXCUSED: ("Excusé", "متغيب بعذر"),
}


def session_reference(session: Session) -> str:
    return f"{timezone.localtime(session.starts_at):%Y}-{session.pk}"


def _opinion_rows(consultations) -> list[dict]:
    rows = []
    for c in consultations:
        opinions = list(c.opinions.all())
        current = opinions[-1] if opinions else None
        verdict_fr, verdict_ar = both(Opinion.Verdict(current.verdict).label) if current else AWAITED
        rows.append({"org_fr": c.organisation.name_fr, "org_ar": c.organisation.name_ar,
                     "verdict_fr": verdict_fr, "verdict_ar": verdict_ar,
                     "text": current.text if current else "",
                     "author": (current.author.get_full_name() or current.author.username) if current else ""})
    return rows


def minutes_context(session: Session) -> dict:
    attendance = []
    signers = []
    for p in selectors.participants(session):
        status_fr, status_ar = ATTENDANCE_LABELS[p.attendance]
        name = p.user.get_full_name() or p.user.username
        attendance.append({"name": name, "org_fr": p.organisation.name_fr, "org_ar": p.organisation.name_ar,
                           "status_fr": status_fr, "status_ar": status_ar})
        if p.attendance == Participant.Attendance.PRESENT:
            signers.append(name)
    files = [{"reference": item.dossier.reference, "title": item.dossier.title,
              "opinions": _opinion_rows(consultations)}
             for item, consultations in selectors.opinions_for_minutes(session)]
    mode_fr, mode_ar = MODE_LABELS[session.mode]
    org = session.organisation
    return {"reference": session_reference(session), "organisation_fr": org.name_fr, "organisation_ar": org.name_ar,
            "starts_at": session.starts_at, "mode_fr": mode_fr, "mode_ar": mode_ar, "place": session.place,
            "attendance": attendance, "files": files, "signers": signers}


def render_minutes(session: Session) -> bytes:
    ctx = minutes_context(session)
    return render.render_template_pdf("commission/minutes.html", {"ctx": ctx, "created_w3c": w3c_datetime(session.starts_at)})
