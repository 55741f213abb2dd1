"""How API callers authenticate: HTTP Basic, a token (`Authorization: Token <key>`), or the
web session.

The second factor (rokhas.accounts.second_factor, applied by rokhas.dossiers.access): a web
session carries its own TOTP check; a token carries one after POST /api/v1/auth/second-factor/
(valid ROKHAS_API_OTP_HOURS); HTTP Basic never does. So an official may read through the API
but, when ROKHAS_REQUIRE_OTP is on, acts (check, opinion, decision) only with a verified token.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BasicAuthentication, SessionAuthentication, TokenAuthentication

from rokhas.accounts import second_factor


def _unverified(user):
    user.is_verified = lambda: False
    return user


class BasicAuth(BasicAuthentication):
    www_authenticate_realm = "Rokhas API"

    def authenticate_credentials(self, userid, password, request=None):
        user, auth = super().authenticate_credentials(userid, password, request)
        return _unverified(user), auth


class TokenAuth(TokenAuthentication):
    def authenticate_credentials(self, key):
        model = self.get_model()
        try:  # as DRF does, with the token's second-factor check in the same query
            token = model.objects.select_related("user", "second_factor").get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        verified = second_factor.token_verified(token)
        token.user.is_verified = lambda: verified
        return token.user, token


# Basic first: an anonymous call gets a 401 with a Basic challenge.
API_AUTHENTICATION = [BasicAuth, TokenAuth, SessionAuthentication]


class BasicAuthScheme(OpenApiAuthenticationExtension):
    target_class = BasicAuth
    name = "basicAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "basic"}
