"""The schema and the Swagger UI are served, the UI from our own static files (no CDN)."""

from django.urls import reverse
from rest_framework.test import APIClient


def test_schema_and_swagger_ui_without_cdn(db):
    client = APIClient()
    r = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert r.status_code == 200
    assert "/api/v1/dossiers/{id}/submit/" in r.json()["paths"]
    r = client.get(reverse("api-docs"))
    assert r.status_code == 200
    page = r.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "<script>" not in page  # CSP: no inline script
    r = client.get(reverse("api-docs") + "?script=")
    assert r.status_code == 200 and b"SwaggerUIBundle" in r.content
