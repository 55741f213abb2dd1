"""The legal clock: start, suspension while the file is back with the applicant, resumption."""

import datetime as dt

from django.utils import timezone

from rokhas.catalogue.models import ReturnReason
from rokhas.dossiers import clock, services
from rokhas.dossiers.models import Dossier, Round


def _at(day: dt.date, hour=10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_petit_projet_due_15_calendar_days_after_filing(world, file_dossier):
    d = file_dossier()
    Dossier.objects.filter(pk=d.pk).update(filed_at=_at(dt.date(2026, 1, 5)))
    d.refresh_from_db()
    state = clock.compute(d, today=dt.date(2026, 1, 6))
    assert d.project_class.code == "petits"
    assert state.due_date == dt.date(2026, 1, 20)
    assert state.days_left == 14 and not state.overdue
    assert "1839-23" in state.source


def test_return_suspends_and_resubmission_resumes(world, file_dossier):
    d = file_dossier()
    Dossier.objects.filter(pk=d.pk).update(filed_at=_at(dt.date(2026, 1, 5)))
    Round.objects.filter(dossier=d).update(submitted_at=_at(dt.date(2026, 1, 5)))
    services.return_for_complements(actor=world.users["guichet"], dossier=d,
                                    reasons=[ReturnReason.objects.get(code="plan-scale")], message="Échelle")
    Round.objects.filter(dossier=d, number=1).update(returned_at=_at(dt.date(2026, 1, 8)))
    d.refresh_from_db()
    state = clock.compute(d, today=dt.date(2026, 1, 30))
    assert state.suspended and state.due_date is None and not state.overdue

    services.submit(actor=world.users["architect"], dossier=d, token="round-2")
    Round.objects.filter(dossier=d, number=2).update(submitted_at=_at(dt.date(2026, 1, 12)))
    d.refresh_from_db()
    state = clock.compute(d, today=dt.date(2026, 1, 13))
    # 9, 10, 11 and 12 January were with the applicant: four days added.
    assert state.suspensions == ((dt.date(2026, 1, 8), dt.date(2026, 1, 12)),)
    assert state.due_date == dt.date(2026, 1, 24)
    assert d.reference and d.rounds.count() == 2


def test_clock_events_are_on_the_timeline(world, file_dossier):
    from rokhas.dossiers.selectors import timeline

    d = file_dossier()
    services.return_for_complements(actor=world.users["guichet"], dossier=d,
                                    reasons=[ReturnReason.objects.get(code="doc-illegible")], message="")
    services.submit(actor=world.users["architect"], dossier=d, token="r2")
    actions = [e.action for e in timeline(d)]
    assert actions.index("clock.started") < actions.index("clock.suspended") < actions.index("clock.resumed")
