"""The 403, 404, 500 and CSRF pages: translated, in the page direction, never a bare error."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from .conftest import body, client_for, url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang,direction", [("fr", "ltr"), ("ar", "rtl")])
def test_500_page_renders_without_a_request_context(lang, direction):
    request = RequestFactory().get(f"/{lang}/")
    with translation.override(lang):
        response = server_error(request)
    assert response.status_code == 500
    html = body(response)
    assert f'dir="{direction}"' in html and 'data-testid="error-500"' in html


def test_404_page(world):
    response = client_for(None, "ar").get("/ar/no-such-page/")
    assert response.status_code == 404
    html = body(response)
    assert 'data-testid="error-404"' in html and 'dir="rtl"' in html


def test_csrf_failure_page(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url("fr", "verify"), {})
    assert response.status_code == 403
    assert 'data-testid="error-403-csrf"' in body(response)
