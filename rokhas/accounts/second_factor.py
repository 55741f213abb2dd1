"""Second factor (TOTP) for officials.

When ROKHAS_REQUIRE_OTP is on, an official may read files after signing in with a password,
but may act on them (check, give an opinion, decide) only once the session has been
verified with a TOTP code. The rule is applied by rokhas.dossiers.access, so it holds for
every entry point that carries a request user (web and API).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import ApiTokenVerification, Membership


def is_official(user) -> bool:
    return user.is_authenticated and Membership.objects.filter(user=user, active=True).exists()


def required_for(user) -> bool:
    return bool(settings.ROKHAS_REQUIRE_OTP_FOR_OFFICIALS) and is_official(user)


def satisfied(user) -> bool:
    """True unless the user is an official whose session still lacks its TOTP check.

    Users built outside a request (management commands run by the operator on the server)
    carry no `is_verified` and are not asked for a code."""
    if not required_for(user):
        return True
    is_verified = getattr(user, "is_verified", None)
    return is_verified is None or bool(is_verified())


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device offered at enrolment (created once, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Rokhas", confirmed=False)


def verify_api_token(*, token, code: str) -> datetime.datetime:
    """Check a TOTP code for an API token; the token then acts as verified for
    ROKHAS_API_OTP_HOURS. Wrong codes are throttled (django-otp) and audited."""
    from rokhas.audit.services import record

    user = token.user
    device = confirmed_device(user)
    if device is None:
        raise ValidationError({"code": [_("Enrol your authenticator app on the web first (sign in, then "
                                          "follow the second-factor page).")]}, code="no_device")
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        raise ValidationError({"code": [_("Too many wrong codes: wait a few seconds, then type the current "
                                          "code.")]}, code="throttled")
    if not device.verify_token((code or "").strip()):
        with transaction.atomic():  # committed even though the call fails: guessing leaves traces
            record(actor=user, action="api.second_factor_rejected", obj=user)
        raise ValidationError({"code": [_("This code is not valid. Check your phone's clock and try the current "
                                          "code.")]}, code="invalid")
    until = timezone.now() + datetime.timedelta(hours=settings.ROKHAS_API_OTP_HOURS)
    with transaction.atomic():
        ApiTokenVerification.objects.update_or_create(token=token, defaults={"verified_until": until})
        record(actor=user, action="api.second_factor_verified", obj=user, data={"until": until.isoformat()})
    return until


def token_verified(token) -> bool:
    try:
        check = token.second_factor
    except ApiTokenVerification.DoesNotExist:
        return False
    return check.verified_until > timezone.now()
