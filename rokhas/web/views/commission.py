"""Commission sessions on the web: the list, the session page (agenda, invitations, attendance,
minutes), and a file's page in the session (its plans as images, live annotations, the opinion).
Every rule is asked of rokhas.commission.access / services; these views only shape the input."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rokhas.commission import access, pages, selectors, services
from rokhas.commission.access import Action
from rokhas.commission.models import Participant, Session
from rokhas.dossiers.access import consultations_for
from rokhas.dossiers.models import Dossier
from rokhas.dossiers.selectors import document_version_for

from ..forms import OpinionForm
from ..helpers import apply_validation_error, error_messages, visible_or_404

POLL_LIMIT = 200


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(label=gettext_lazy("Date and time"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local", "data-testid": "session-starts-at"}))
    mode = forms.ChoiceField(label=gettext_lazy("How members meet"), choices=Session.Mode.choices,
                             widget=forms.Select(attrs={"data-testid": "session-mode"}))
    place = forms.CharField(label=gettext_lazy("Place"), required=False, max_length=200,
                            widget=forms.TextInput(attrs={"dir": "auto", "data-testid": "session-place"}))
    video_url = forms.CharField(label=gettext_lazy("Video room link (optional)"), required=False, max_length=500,
                                widget=forms.URLInput(attrs={"data-testid": "session-video"}))


class SignForm(forms.Form):
    pin = forms.CharField(label=gettext_lazy("PIN of your signing certificate"), max_length=128, strip=False,
                          widget=forms.PasswordInput(attrs={"autocomplete": "off", "data-testid": "minutes-pin"}))


def _session_or_404(user, session_id: int) -> Session:
    """The session if the user may see it; 404 otherwise (do not leak that it exists)."""
    session = get_object_or_404(Session.objects.select_related("organisation"), pk=session_id)
    if not access.can(user, Action.VIEW, session):
        raise Http404
    return session


def _to_session(session: Session, anchor: str = ""):
    return redirect(reverse("web:commission-session", kwargs={"session_id": session.pk}) + (f"#{anchor}" if anchor else ""))


@login_required
@require_GET
def session_list(request):
    return _render_list(request, SessionForm())


def _render_list(request, form, status=200):
    sessions = selectors.sessions_for(access.visible_sessions(request.user))[:100]
    can_create = access.organiser_organisations(request.user).exists()
    return render(request, "web/commission/list.html",
                  {"sessions": sessions, "form": form if can_create else None}, status=status)


@login_required
@require_POST
def session_new(request):
    if not access.organiser_organisations(request.user).exists():
        raise PermissionDenied(_("Only a single window can schedule commission sessions."))
    form = SessionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            session = services.create_session(actor=request.user, starts_at=data["starts_at"], mode=data["mode"],
                                              place=data["place"], video_url=data["video_url"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The session was scheduled and its agenda built from the files due."))
            return _to_session(session)
    return _render_list(request, form, status=400)


def _render_session(request, session: Session, *, sign_form=None, errors=None, status=200):
    user = request.user
    organiser = access.can(user, Action.ORGANISE, session)
    ctx = {
        "session": session,
        "agenda": selectors.agenda(session),
        "participants": selectors.participants(session),
        "organiser": organiser,
        "attendance_choices": [c for c in Participant.Attendance.choices if c[0] != Participant.Attendance.UNKNOWN],
        "can_sign": access.can(user, Action.SIGN, session) and not session.signatures.filter(signer=user).exists(),
        "signatures": session.signatures.select_related("signer"),
        "sign_form": sign_form or SignForm(),
        "action_errors": errors,
        "me": access.participant(user, session),
    }
    return render(request, "web/commission/session.html", ctx, status=status)


@login_required
@require_GET
def session_detail(request, session_id: int):
    return _render_session(request, _session_or_404(request.user, session_id))


def _organiser_action(request, session_id: int, work, success: str, anchor: str = ""):
    session = _session_or_404(request.user, session_id)
    try:
        work(session)
    except ValidationError as exc:
        return _render_session(request, session, errors=error_messages(exc), status=400)
    messages.success(request, success)
    return _to_session(session, anchor)


def _agenda_dossier(request, session: Session) -> Dossier:
    ref = (request.POST.get("reference") or "").strip()
    pk = request.POST.get("dossier") or ""
    qs = Dossier.objects.filter(access.organisation_scope(session.organisation))
    dossier = (qs.filter(pk=int(pk)).first() if pk.isdigit() and len(pk) < 18 else
               qs.filter(reference=ref).first() if ref else None)
    if dossier is None:
        raise ValidationError(_("No file with this reference is handled by this single window."), code="unknown")
    return dossier


@login_required
@require_POST
def agenda_change(request, session_id: int):
    op = request.POST.get("op", "")

    def work(session):
        access.require(request.user, Action.ORGANISE, session)
        dossier = _agenda_dossier(request, session)
        if op == "add":
            services.add_to_agenda(actor=request.user, session=session, dossier=dossier)
        elif op == "remove":
            services.remove_from_agenda(actor=request.user, session=session, dossier=dossier)
        elif op in ("up", "down"):
            services.move_on_agenda(actor=request.user, session=session, dossier=dossier,
                                    offset=-1 if op == "up" else 1)
        else:
            raise ValidationError(_("Choose one of the proposed values."))

    return _organiser_action(request, session_id, work, _("The agenda was updated."), "agenda")


@login_required
@require_POST
def invitations(request, session_id: int):
    return _organiser_action(request, session_id,
                             lambda session: services.send_invitations(actor=request.user, session=session),
                             _("The invitations are being sent."), "members")


@login_required
@require_POST
def attendance(request, session_id: int):
    def work(session):
        values = {}
        for key, value in request.POST.items():
            if key.startswith("p-") and key[2:].isdigit() and len(key) < 20 and value:
                values[int(key[2:])] = value
        services.record_attendance(actor=request.user, session=session, attendance=values)

    return _organiser_action(request, session_id, work, _("The attendance was recorded."), "members")


@login_required
@require_POST
def minutes_draft(request, session_id: int):
    return _organiser_action(request, session_id,
                             lambda session: services.draft_minutes(actor=request.user, session=session),
                             _("The minutes were drafted; the members present can now sign them."), "minutes")


@login_required
@require_POST
def minutes_sign(request, session_id: int):
    session = _session_or_404(request.user, session_id)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            services.sign_minutes(actor=request.user, session=session, pin=form.cleaned_data["pin"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("You signed the minutes."))
            return _to_session(session, "minutes")
    return _render_session(request, session, sign_form=form, status=400)


@login_required
@require_GET
def minutes_download(request, session_id: int):
    session = _session_or_404(request.user, session_id)
    if not session.minutes_storage_name:
        raise Http404
    try:
        handle = default_storage.open(session.minutes_storage_name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=f"pv-session-{session.pk}.pdf",
                            content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- a file in the session ----------------------------------------------------------------------


def _discussion(request, session_id: int, pk: int) -> tuple[Session, Dossier]:
    """The session and one file of its agenda, if the user may take part in its discussion.
    The fast path (polled every second) is the DISCUSS rule alone; only a refusal looks further
    to answer 404 (session or file not visible: do not leak) or 403 (visible, not on its commission)."""
    session = Session.objects.select_related("organisation").filter(pk=session_id).first()
    dossier = Dossier.objects.filter(pk=pk).first()
    if session is not None and dossier is not None and access.can(request.user, Action.DISCUSS, session, dossier):
        return session, dossier
    if session is None or not access.can(request.user, Action.VIEW, session):
        raise Http404
    dossier = visible_or_404(request.user, pk)
    access.require(request.user, Action.DISCUSS, session, dossier)
    return session, dossier


def _render_file(request, session, dossier, *, opinion_form=None, status=200):
    consultations = consultations_for(request.user, dossier) if session.is_open else []
    ctx = {
        "session": session,
        "dossier": dossier,
        "documents": selectors.session_documents(dossier),
        "consultations": consultations,
        "opinion_form": opinion_form or (OpinionForm(consultations=consultations) if consultations else None),
        "kept": selectors.annotations_of(dossier),
    }
    return render(request, "web/commission/file.html", ctx, status=status)


@login_required
@require_GET
def file_in_session(request, session_id: int, pk: int):
    session, dossier = _discussion(request, session_id, pk)
    return _render_file(request, session, dossier)


def annotation_json(a) -> dict:
    return {"id": a.pk, "version": a.document_version_id, "page": a.page, "x": a.x, "y": a.y,
            "width": a.width, "height": a.height, "text": a.text,
            "author": a.author.get_full_name() or a.author.username,
            "created_at": timezone.localtime(a.created_at).strftime("%H:%M")}


def _since(request) -> int:
    raw = request.GET.get("since", "0")
    return int(raw) if raw.isdigit() and len(raw) < 18 else 0


@login_required
@require_http_methods(["GET", "POST"])
def annotations(request, session_id: int, pk: int):
    """GET ?since=<id>: the notes after the cursor (polled every second by commission.js).
    POST: a new note; 201 with it, or 400 with the messages per field."""
    session, dossier = _discussion(request, session_id, pk)
    if request.method == "GET":
        items = selectors.annotations_since(session, dossier, _since(request), POLL_LIMIT)
        cursor = items[-1].pk if items else _since(request)
        response = JsonResponse({"cursor": cursor, "annotations": [annotation_json(a) for a in items]})
        response["Cache-Control"] = "no-store"
        return response
    version_id = request.POST.get("version", "")
    version = (document_version_for(request.user, dossier, int(version_id))
               if version_id.isdigit() and len(version_id) < 18 else None)
    if version is None:
        return JsonResponse({"version": [_("Choose a document of this file.")]}, status=400)
    try:
        note = services.annotate(actor=request.user, session=session, dossier=dossier, version=version,
                                 page=request.POST.get("page"), x=request.POST.get("x"), y=request.POST.get("y"),
                                 width=request.POST.get("width"), height=request.POST.get("height"),
                                 text=request.POST.get("text", ""))
    except ValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return JsonResponse(detail, status=400)
    return JsonResponse(annotation_json(note), status=201)


@login_required
@require_POST
def opinion_in_session(request, session_id: int, pk: int):
    session, dossier = _discussion(request, session_id, pk)
    consultations = consultations_for(request.user, dossier)
    form = OpinionForm(request.POST, consultations=consultations)
    if form.is_valid():
        chosen = form.cleaned_data.get("consultation")
        consultation = next((c for c in consultations if c.pk == chosen), None) if chosen else None
        try:
            services.give_opinion_in_session(actor=request.user, session=session, dossier=dossier,
                                             consultation=consultation, verdict=form.cleaned_data["verdict"],
                                             text=form.cleaned_data["text"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Your opinion was recorded; everyone on the file can now read it."))
            return redirect(reverse("web:commission-file", kwargs={"session_id": session.pk, "pk": dossier.pk}))
    return _render_file(request, session, dossier, opinion_form=form, status=400)


@login_required
@require_GET
def page_image(request, pk: int, version_id: int, number: int):
    """One page of a document version as PNG, for whoever may see the file."""
    dossier = visible_or_404(request.user, pk)
    version = document_version_for(request.user, dossier, version_id)
    if version is None:
        raise Http404
    try:
        png = pages.page_png(version, number)
    except ValidationError:
        raise Http404 from None
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"  # a version's pages never change
    response["X-Content-Type-Options"] = "nosniff"
    return response
