"""The home page by role: applicant files, guichet worklist by deadline, commission members'
pending consultations with their own due dates, the president's files to decide."""

from __future__ import annotations

import pytest

from tests.conftest import GRAND_PROJET, PETIT_PROJET

from .conftest import body, client_for, filed_via_web, url

pytestmark = pytest.mark.django_db


def test_anonymous_home_explains_and_links(world):
    html = body(client_for(None).get(url("fr", "web:home")))
    assert 'data-testid="home-hero"' in html
    assert f'href="{url("fr", "web:login")}"' in html and f'href="{url("fr", "verify")}"' in html


def test_dashboards_by_role(world):
    architect = client_for(world.users["architect"])
    grand = filed_via_web(architect, world, data=GRAND_PROJET)   # 30 days
    petit = filed_via_web(architect, world, data=PETIT_PROJET)   # 15 days: more urgent
    html = body(architect.get(url("fr", "web:home")))
    assert 'data-testid="new-application"' in html
    assert f'data-testid="row-{grand}"' in html and f'data-testid="row-{petit}"' in html

    guichet = client_for(world.users["guichet"])
    html = body(guichet.get(url("fr", "web:home")))
    worklist = html.split('data-testid="worklist"')[1].split("</table>")[0]
    assert worklist.index(f"row-{petit}") < worklist.index(f"row-{grand}")
    assert 'data-testid="new-application"' not in html

    guichet.post(url("fr", "web:accept", pk=petit))
    html = body(guichet.get(url("fr", "web:home")))
    assert f"row-{petit}" in html.split('data-testid="followup"')[1]

    reviewer = client_for(world.users["urban_agency"], "ar")
    html = body(reviewer.get(url("ar", "web:home")))
    section = html.split('data-testid="consultations"')[1]
    from rokhas.review.models import Consultation

    consultation = Consultation.objects.get(dossier_id=petit, organisation=world.orgs["urban_agency"])
    assert f'data-testid="consultation-{consultation.pk}"' in section
    assert 'data-testid="section-to-decide"' not in html

    president = client_for(world.users["president"])
    html = body(president.get(url("fr", "web:home")))
    assert f"row-{petit}" in html.split('data-testid="to-decide"')[1]
    assert f"row-{grand}" not in html.split('data-testid="to-decide"')[1]

    other = body(client_for(world.users["other_guichet"]).get(url("fr", "web:home")))
    assert f"row-{petit}" not in other and f"row-{grand}" not in other
