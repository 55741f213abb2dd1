"""A limit on public verification requests per client address.

Verification codes are short enough to be guessed by brute force; without a limit anyone
could enumerate the decisions the platform issued. The count lives in Django's cache: with
the default per-process cache each web worker counts on its own, so production should use a
shared cache (docs/operations.md). The same rule serves the web page and the API.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class VerificationThrottle(SimpleRateThrottle):
    scope = "verify"

    def get_rate(self) -> str:
        return settings.ROKHAS_VERIFY_RATE  # read at each request: settings can change (tests)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def allowed(request) -> tuple[bool, int]:
    """(allowed, seconds to wait) for a plain Django request (the web page)."""
    throttle = VerificationThrottle()
    if throttle.allow_request(request, None):
        return True, 0
    return False, int(throttle.wait() or 60) + 1
