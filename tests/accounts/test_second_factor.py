"""Officials act on files only after a TOTP check (when ROKHAS_REQUIRE_OTP is on)."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from rokhas.demo.seed import DEMO_PASSWORD


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


@pytest.fixture
def otp_on(settings):
    settings.ROKHAS_REQUIRE_OTP_FOR_OFFICIALS = True


def test_official_enrols_then_can_act(otp_on, world, file_dossier, client):
    d = file_dossier()
    client.post(reverse("web:login"), {"username": "guichet", "password": DEMO_PASSWORD})
    page = client.get(reverse("web:dossier", args=[d.pk]))
    assert page.status_code == 200 and b'data-testid="accept"' not in page.content  # read yes, act no
    assert client.post(reverse("web:accept", args=[d.pk])).status_code in (302, 403)
    d.refresh_from_db()
    assert d.status == "submitted"

    enrol = client.get(reverse("web:otp"))
    assert b'data-testid="otp-qr"' in enrol.content
    device = TOTPDevice.objects.get(user=world.users["guichet"], confirmed=False)
    bad = client.post(reverse("web:otp"), {"token": "000000", "next": "/"})
    assert bad.status_code == 200 and b"otp-form" in bad.content
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # wrong codes slow the next try down
    device.throttle_reset()
    ok = client.post(reverse("web:otp"), {"token": _code(device), "next": "/fr/"})
    assert ok.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    client.post(reverse("web:accept", args=[d.pk]))
    d.refresh_from_db()
    assert d.status == "in_review"


def test_login_sends_officials_to_the_second_factor(otp_on, world, client):
    response = client.post(reverse("web:login"), {"username": "guichet", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and reverse("web:otp") in response["Location"]


def test_applicants_are_not_asked(otp_on, world, client):
    response = client.post(reverse("web:login"), {"username": "architecte", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and reverse("web:otp") not in response["Location"]


def test_code_reuse_window_is_bounded(otp_on, world):
    device = TOTPDevice.objects.create(user=world.users["president"], confirmed=True)
    code = _code(device)
    assert device.verify_token(code)
    assert not device.verify_token(code)  # django-otp refuses a replayed code
