"""Within one request the access module reads a user's memberships once, however many
questions the page asks (view, check, opinion, decide, message); outside a request (services
called by commands) it reads them at each question, so a changed membership counts at once."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from rokhas.accounts.models import Membership
from rokhas.dossiers import access
from tests.web.conftest import client_for, url


def _membership_queries(ctx) -> int:
    return sum(1 for q in ctx.captured_queries if 'FROM "accounts_membership"' in q["sql"])


def test_the_file_page_reads_memberships_once(world, file_dossier):
    d = file_dossier()
    client = client_for(world.users["guichet"])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url("fr", "web:dossier", pk=d.pk))
    assert response.status_code == 200 and 'data-testid="panel-check"' in response.content.decode()
    assert _membership_queries(ctx) == 1


def test_outside_a_request_a_revoked_membership_counts_at_once(world, file_dossier):
    d = file_dossier()
    guichet = world.users["guichet"]
    assert access.can(guichet, access.Action.CHECK, d)
    Membership.objects.filter(user=guichet).update(active=False)
    assert not access.can(guichet, access.Action.CHECK, d)
    with access.memberships_read_once():
        assert not access.can(guichet, access.Action.VIEW, d)
