"""Stop online PIN guessing: after MAX_FAILURES wrong PINs the credential rests for LOCK_TIME."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import SignerCredential

MAX_FAILURES = 5
LOCK_TIME = dt.timedelta(minutes=15)


def is_locked(credential: SignerCredential) -> bool:
    return credential.locked_until is not None and credential.locked_until > timezone.now()


def record_failure(credential: SignerCredential) -> bool:
    """Count a wrong PIN in its own transaction (the caller's is rolling back). True if now locked."""
    with transaction.atomic():
        SignerCredential.objects.filter(pk=credential.pk).update(failed_pin_attempts=F("failed_pin_attempts") + 1)
        fresh = SignerCredential.objects.select_for_update().get(pk=credential.pk)
        if fresh.failed_pin_attempts >= MAX_FAILURES:
            fresh.locked_until = timezone.now() + LOCK_TIME
            fresh.failed_pin_attempts = 0
            fresh.save(update_fields=["locked_until", "failed_pin_attempts"])
            return True
    return False


def record_success(credential: SignerCredential) -> None:
    if credential.failed_pin_attempts or credential.locked_until:
        SignerCredential.objects.filter(pk=credential.pk).update(failed_pin_attempts=0, locked_until=None)
