"""API errors: Django's ValidationError and PermissionDenied become clear 400/403 answers.

Shapes (all messages in the request's language, chosen by Accept-Language):
- 400: ``{"field": ["message", ...], "non_field_errors": ["message", ...]}``; a field inside an
  object (declared data) is nested: ``{"declared": {"levels": ["..."]}}``;
- 401, 403, 404, 405, 413, 415: ``{"detail": "message"}``.
"""

from __future__ import annotations

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError,
)
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.exceptions import ErrorDetail
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def _details(errors: list[ValidationError]) -> list[ErrorDetail]:
    # Iterating a single ValidationError yields its message with the params filled in.
    return [ErrorDetail(str(message), code=e.code or "invalid") for e in errors for message in e]


def validation_detail(exc: ValidationError, nest_under: str | None = None, keep: frozenset[str] = frozenset()):
    """DRF error detail for a Django ValidationError.

    With `nest_under`, field errors whose name is not in `keep` are put inside that key
    (e.g. declared-data fields inside ``declared``)."""
    key = api_settings.NON_FIELD_ERRORS_KEY
    if not hasattr(exc, "error_dict"):
        return {key: _details(exc.error_list)}
    detail: dict = {}
    for field, errors in exc.error_dict.items():
        messages = _details(errors)
        if field == NON_FIELD_ERRORS:
            detail.setdefault(key, []).extend(messages)
        elif nest_under and field not in keep:
            detail.setdefault(nest_under, {})[field] = messages
        else:
            detail[field] = messages
    return detail


def exception_handler(exc, context):
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(detail=validation_detail(exc))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    elif isinstance(exc, RequestDataTooBig):
        from .parsers import RequestTooLarge

        exc = RequestTooLarge()
    elif isinstance(exc, SuspiciousOperation):
        # Too much form data, too many fields or files, a forged file name...: the request is bad.
        exc = exceptions.ParseError(detail=_("The request could not be read (too large or malformed)."))
    return drf_exception_handler(exc, context)
