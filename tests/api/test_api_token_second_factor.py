"""Officials act through the API only with a token whose second factor was checked
(POST /api/v1/auth/second-factor/), for ROKHAS_API_OTP_HOURS; HTTP Basic never can."""

import base64
import datetime

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from rokhas.accounts.models import ApiTokenVerification
from rokhas.audit.models import AuditEntry
from rokhas.demo.seed import DEMO_PASSWORD
from tests.accounts.test_second_factor import _code


@pytest.fixture
def otp_on(settings):
    settings.ROKHAS_REQUIRE_OTP_FOR_OFFICIALS = True


def _token_client(user) -> tuple[APIClient, Token]:
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT_LANGUAGE="fr")
    return client, token


def test_a_verified_token_lets_the_official_act(otp_on, world, file_dossier):
    d = file_dossier()
    guichet = world.users["guichet"]
    device = TOTPDevice.objects.create(user=guichet, name="phone", confirmed=True)
    client, token = _token_client(guichet)
    assert client.get(f"/api/v1/dossiers/{d.pk}/").status_code == 200  # reading needs no second factor
    assert client.post(f"/api/v1/dossiers/{d.pk}/accept/").status_code == 403
    wrong = client.post("/api/v1/auth/second-factor/", {"code": "000000"}, format="json")
    assert wrong.status_code == 400 and "code" in wrong.json()
    assert AuditEntry.objects.filter(action="api.second_factor_rejected").count() == 1
    device.refresh_from_db()
    device.throttle_reset()
    ok = client.post("/api/v1/auth/second-factor/", {"code": _code(device)}, format="json")
    assert ok.status_code == 200 and ok.json()["verified_until"]
    assert client.post(f"/api/v1/dossiers/{d.pk}/accept/").status_code == 200
    d.refresh_from_db()
    assert d.status == "in_review"


def test_the_check_expires_and_basic_auth_never_carries_it(otp_on, world, file_dossier):
    d = file_dossier()
    guichet = world.users["guichet"]
    client, token = _token_client(guichet)
    ApiTokenVerification.objects.create(token=token, verified_until=timezone.now() - datetime.timedelta(minutes=1))
    assert client.post(f"/api/v1/dossiers/{d.pk}/accept/").status_code == 403
    basic = APIClient()
    basic.credentials(HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"guichet:{DEMO_PASSWORD}".encode()).decode())
    assert basic.post(f"/api/v1/dossiers/{d.pk}/accept/").status_code == 403
    answer = basic.post("/api/v1/auth/second-factor/", {"code": "123456"}, format="json")
    assert answer.status_code == 400  # only a token can be verified


def test_an_official_without_an_enrolled_app_is_told_to_enrol_on_the_web(otp_on, world):
    client, _token = _token_client(world.users["president"])
    answer = client.post("/api/v1/auth/second-factor/", {"code": "123456"}, format="json")
    assert answer.status_code == 400 and answer.json()["code"]
