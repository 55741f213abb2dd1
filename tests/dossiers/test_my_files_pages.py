""""My files" pages: files filed and files owned, newest first, each page read by two index
scans united (on PostgreSQL) — the pages must equal the plain ordered list."""

import datetime

from django.utils import timezone

from rokhas.dossiers.models import Dossier
from rokhas.dossiers.selectors import MyFiles, my_dossiers


def test_pages_equal_the_plain_ordered_list(world, file_dossier):
    architect, owner = world.users["architect"], world.users["owner"]
    made = [file_dossier(submit=False) for _ in range(7)]
    # Two files where the architect is the owner and someone else filed (the owner here).
    for d in made[:2]:
        Dossier.objects.filter(pk=d.pk).update(applicant=owner, owner=architect)
    base = timezone.now()
    for i, d in enumerate(made):  # distinct, shuffled creation times
        Dossier.objects.filter(pk=d.pk).update(created_at=base - datetime.timedelta(hours=(i * 5) % 7))
    expected = [d.pk for d in Dossier.objects.filter(pk__in=[d.pk for d in made]).order_by("-created_at", "-pk")]
    assert [d.pk for d in my_dossiers(architect)] == expected
    pages = MyFiles(architect)
    assert pages.count() == 7 and pages.exists()
    assert [d.pk for d in pages[0:3]] + [d.pk for d in pages[3:6]] + [d.pk for d in pages[6:9]] == expected
    assert [d.pk for d in my_dossiers(architect, limit=4)[:4]] == expected[:4]
    # The owner sees the same files through both roles.
    assert [d.pk for d in MyFiles(owner)[0:50]] == expected
    assert MyFiles(world.users["guichet"]).count() == 0
