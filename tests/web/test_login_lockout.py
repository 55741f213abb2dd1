"""Signing in through the page, and django-axes' lockout shown as a clear translated page."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt

from rokhas.demo.seed import DEMO_PASSWORD

from .conftest import body, client_for, url

pytestmark = pytest.mark.django_db


def test_sign_in_and_out(world, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client = client_for(None)
    page = client.get(url("fr", "web:login"))
    assert page.status_code == 200 and 'data-testid="login-form"' in body(page)
    response = client.post(url("fr", "web:login"), {"username": "architecte", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == url("fr", "web:home")
    home = body(client.get(url("fr", "web:home")))
    assert 'data-testid="section-my-files"' in home
    response = client.post(url("fr", "web:logout"))
    assert response.status_code in (200, 302)
    assert client.get(url("fr", "web:new")).status_code == 302


def test_wrong_password_shows_an_error(world):
    client = client_for(None, "ar")
    response = client.post(url("ar", "web:login"), {"username": "architecte", "password": "wrong"})
    assert response.status_code == 200 and 'data-testid="form-errors"' in body(response)
    assert 'dir="rtl"' in body(response)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_lockout_page_is_clear_and_translated(lang, world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = client_for(None, lang)
    for _ in range(3):
        response = client.post(url(lang, "web:login"), {"username": "architecte", "password": "wrong"})
    assert AccessAttempt.objects.exists()
    # Locked: even the right password is refused, with the lockout page.
    response = client.post(url(lang, "web:login"), {"username": "architecte", "password": DEMO_PASSWORD})
    assert response.status_code in (403, 429)
    html = body(response)
    assert 'data-testid="lockout"' in html
    assert f'<html lang="{lang}"' in html
