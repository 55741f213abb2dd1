"""How API callers authenticate: HTTP Basic, a token (`Authorization: Token <key>`), or the
web session.

The second factor (rokhas.accounts.second_factor, applied by rokhas.dossiers.access): only a
web session can carry a verified TOTP check. A caller authenticated by password or token is
marked unverified, so that an official may read through the API but, when ROKHAS_REQUIRE_OTP
is on, not act (check, give an opinion, decide) without the second factor.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BasicAuthentication, SessionAuthentication, TokenAuthentication


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
        user, token = super().authenticate_credentials(key)
        return _unverified(user), token


# Basic first: an anonymous call gets a 401 with a Basic challenge.
API_AUTHENTICATION = [BasicAuth, TokenAuth, SessionAuthentication]


class BasicAuthScheme(OpenApiAuthenticationExtension):
    target_class = BasicAuth
    name = "basicAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "basic"}
