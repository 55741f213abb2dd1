"""The legal clock on the file page and in worklists: due date, days left, the rule that sets
it, suspended while returned, overdue when late (all computed by rokhas.dossiers.clock)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from rokhas.dossiers import clock
from rokhas.dossiers.models import Dossier

from .conftest import body, client_for, filed_via_web, url

pytestmark = pytest.mark.django_db


def _panel(html: str) -> str:
    return html.split('data-testid="clock"')[1].split("</section>")[0]


def test_clock_shows_due_date_days_left_and_rule(world):
    pk = filed_via_web(client_for(world.users["architect"]), world)
    dossier = Dossier.objects.get(pk=pk)
    state = clock.compute(dossier)
    html = body(client_for(world.users["owner"]).get(url("fr", "web:dossier", pk=pk)))
    panel = _panel(html)
    assert state.source and state.source in panel
    assert f"<bdi>{state.days_left}</bdi>" in panel
    html = body(client_for(world.users["owner"], "ar").get(url("ar", "web:dossier", pk=pk)))
    assert dossier.project_class.deadline_source_ar in _panel(html)


def test_clock_suspended_while_returned(world):
    pk = filed_via_web(client_for(world.users["architect"]), world)
    client_for(world.users["guichet"]).post(url("fr", "web:return", pk=pk), {"reasons": ["other"], "message": "x"})
    html = body(client_for(world.users["architect"]).get(url("fr", "web:dossier", pk=pk)))
    assert "is-suspended" in html.split('data-testid="clock"')[0][-200:]
    assert "Suspendu" in _panel(html)  # French page


def test_clock_overdue(world):
    pk = filed_via_web(client_for(world.users["architect"]), world)
    long_ago = timezone.now() - datetime.timedelta(days=60)
    Dossier.objects.filter(pk=pk).update(filed_at=long_ago)
    clock.refresh_due_date(Dossier.objects.get(pk=pk))
    html = body(client_for(world.users["owner"]).get(url("fr", "web:dossier", pk=pk)))
    assert "En retard de" in _panel(html)  # French page
    html = body(client_for(world.users["guichet"]).get(url("fr", "web:home")))
    assert "jours de retard" in html.split(f'data-testid="row-{pk}"')[1].split("</tr>")[0]
    html = body(client_for(world.users["guichet"], "ar").get(url("ar", "web:home")))
    assert f'data-testid="row-{pk}"' in html
