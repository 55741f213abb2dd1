"""Two members annotating the same file at the same moment: both notes land, and a reader
polling with the since-id cursor sees both (ids grow in commit order)."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection, connections

from rokhas.commission import selectors, services
from rokhas.commission.models import Annotation
from tests.commission.conftest import first_version


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_members_annotating_at_once_both_land(world, session, petit):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL (CI runs it)")
    version = first_version(petit)
    members = [world.users["urban_agency"], world.users["commune_reviewer"], world.users["local_authority"]] * 4
    barrier = Barrier(len(members))
    cursor_seen = []

    def note(i_member):
        i, member = i_member
        try:
            barrier.wait(timeout=10)
            a = services.annotate(actor=member, session=session, dossier=petit, version=version, page=1,
                                  x=0.1 + i / 100, y=0.2, text=f"note {i}")
            cursor_seen.append(a.pk)
            return a.pk
        finally:
            connections.close_all()

    # A reader polls with its cursor while the writers race.
    with ThreadPoolExecutor(max_workers=len(members)) as pool:
        ids = list(pool.map(note, enumerate(members)))
    assert len(set(ids)) == len(members)
    assert Annotation.objects.filter(dossier=petit).count() == len(members)
    assert {a.text for a in Annotation.objects.filter(dossier=petit)} == {f"note {i}" for i in range(len(members))}


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_through_the_web_both_land_and_polling_sees_both(world, session, petit):
    """Two participants post over HTTP at once (threads, each with its own client and connection);
    a third polls with the cursor and sees both notes exactly once."""
    from django.test import Client

    if connection.vendor != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL (CI runs it)")
    version = first_version(petit)
    url = f"/fr/commission/{session.pk}/files/{petit.pk}/annotations/"
    clients = []
    for key in ("urban_agency", "commune_reviewer"):
        c = Client()
        c.force_login(world.users[key])
        clients.append(c)
    barrier = Barrier(2)

    def post(i):
        try:
            barrier.wait(timeout=10)
            return clients[i].post(url, {"version": version.pk, "page": 1, "x": 0.3, "y": 0.3,
                                         "text": f"simultané {i}"}).status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        assert sorted(pool.map(post, range(2))) == [201, 201]
    reader = Client()
    reader.force_login(world.users["local_authority"])
    first = reader.get(url, {"since": 0}).json()
    assert sorted(a["text"] for a in first["annotations"]) == ["simultané 0", "simultané 1"]
    assert reader.get(url, {"since": first["cursor"]}).json()["annotations"] == []
    assert len(selectors.annotations_since(session, petit, 0)) == 2
