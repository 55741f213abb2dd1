"""Small glue between the domain and the pages: lookups that 404, and domain errors -> form errors.

No business rule lives here: who may see or do what is asked of rokhas.dossiers.access,
and every check on data is done by the domain services.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.http import Http404

from rokhas.dossiers.models import Dossier
from rokhas.dossiers.selectors import get_visible


def visible_or_404(user, pk: int) -> Dossier:
    """The file if the user may see it; 404 otherwise (never 403: do not leak that it exists)."""
    dossier = get_visible(user, pk)
    if dossier is None:
        raise Http404
    return dossier


def error_messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def apply_validation_error(form: forms.Form, exc: ValidationError, field_map: dict | None = None) -> None:
    """Put a domain ValidationError on the form: field errors next to their fields (through
    `field_map` when the domain's name differs), everything else at the top."""
    field_map = field_map or {}
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            target = field_map.get(name, name)
            if target == NON_FIELD_ERRORS or target not in form.fields:
                target = None
            for message in messages:
                form.add_error(target, str(message))
    else:
        for message in exc.messages:
            form.add_error(None, str(message))


def paginate(request, qs, param: str, per_page: int = 25):
    return Paginator(qs, per_page).get_page(request.GET.get(param))

