"""Per-request scope for the access module: a user's memberships are read once per request."""

from __future__ import annotations

from .access import memberships_read_once


class AccessScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with memberships_read_once():
            return self.get_response(request)
