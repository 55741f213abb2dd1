"""Live annotation in a commission session, in two browsers at once: two commission members
open the same file in the session; what one marks on a plan appears on the other's page
without a reload (polling with a since-id cursor), both ways, and stays with the file."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rokhas.commission import services as commission
from rokhas.dossiers import services as dossiers

from .conftest import screenshot

pytestmark = [pytest.mark.e2e]


def _session_with_file(world, file_dossier):
    dossier = file_dossier()
    dossiers.accept_and_dispatch(actor=world.users["guichet"], dossier=dossier)
    starts_at = timezone.now() + datetime.timedelta(hours=1)
    session = commission.create_session(actor=world.users["guichet"], starts_at=starts_at, mode="remote",
                                        video_url="https://visio.example.ma/salle-7")
    commission.send_invitations(actor=world.users["guichet"], session=session)
    return session, dossier


def test_annotation_appears_live_on_the_other_participants_page(e2e, world, file_dossier):
    session, dossier = _session_with_file(world, file_dossier)
    path = f"/fr/commission/{session.pk}/files/{dossier.pk}/"

    agency = e2e.login("agency", "agence.urbaine", "fr")
    commune = e2e.login("commune", "service.urbanisme", "fr")
    for page in (agency, commune):
        page.get_by_test_id("commission-link").click()  # from the dashboard
        page.get_by_test_id("session-row").get_by_role("link").click()
        expect(page.get_by_test_id("video-link")).to_be_visible()
        page.get_by_test_id("agenda-item").get_by_role("link").click()
        expect(page.get_by_test_id("annotation-workspace")).to_be_visible()
        assert page.url.endswith(path)
    loads = {name: page.evaluate("performance.getEntriesByType('navigation').length")
             for name, page in (("agency", agency), ("commune", commune))}
    commune.evaluate("window.__sameDocument = true")  # lost if the page reloads

    # The agency clicks on the first plan and writes a note.
    figure = agency.locator("figure.annot-page").first
    expect(figure.locator("img")).to_have_js_property("complete", True)
    box = figure.bounding_box()
    agency.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.4)
    agency.mouse.down()
    agency.mouse.up()
    agency.get_by_test_id("annotation-text").fill("Recul de 4 m à vérifier sur la façade nord")
    agency.get_by_test_id("annotation-submit").click()
    expect(agency.get_by_test_id("annotation").filter(has_text="Recul de 4 m")).to_have_count(1)

    # It appears on the other member's page without reload, with its mark on the plan.
    note = commune.get_by_test_id("annotation").filter(has_text="Recul de 4 m")
    expect(note).to_have_count(1, timeout=10_000)
    expect(commune.locator("figure.annot-page .annot-mark")).to_have_count(1)
    assert commune.evaluate("window.__sameDocument === true")

    # And back: the commune's reviewer marks an area (drag); the agency sees it live.
    figure = commune.locator("figure.annot-page").first
    box = figure.bounding_box()
    commune.mouse.move(box["x"] + box["width"] * 0.1, box["y"] + box["height"] * 0.1)
    commune.mouse.down()
    commune.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.2, steps=4)
    commune.mouse.up()
    commune.get_by_test_id("annotation-text").fill("Zone de stationnement insuffisante")
    commune.get_by_test_id("annotation-submit").click()
    expect(agency.get_by_test_id("annotation").filter(has_text="stationnement")).to_have_count(1, timeout=10_000)
    expect(agency.locator("figure.annot-page .annot-area")).to_have_count(1)
    for name, page in (("agency", agency), ("commune", commune)):
        assert page.evaluate("performance.getEntriesByType('navigation').length") == loads[name]
        expect(page.get_by_test_id("annotation")).to_have_count(2)

    screenshot(commune, "commission-live-annotation")

    # Kept with the file: the owner sees both notes on the file page.
    owner = e2e.login("owner", "proprietaire", "fr")
    owner.goto(e2e.url(f"/fr/files/{dossier.pk}/"))
    expect(owner.get_by_test_id("kept-annotation")).to_have_count(2)
    e2e.check_every_page("fr")
