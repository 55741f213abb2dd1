"""Filing for an economic activity: the activity's regime picks the procedure, the activity is
already declared, and the class (a classified establishment's category) follows from it."""

from __future__ import annotations

import pytest

from rokhas.activities.models import Activity
from rokhas.activities.services import create_activity_draft
from rokhas.catalogue.classification import classify
from rokhas.dossiers.models import Dossier


@pytest.mark.parametrize("code,procedure,klass", [
    ("epicerie", "activite-declaration", "declaration"),
    ("hammam", "activite-autorisation", "autorisation"),
    ("station-service", "etablissement-classe", "categorie-2"),
    ("atelier-menuiserie", "etablissement-classe", "categorie-3"),
])
def test_the_regime_decides_the_procedure(world, code, procedure, klass):
    owner = world.users["owner"]
    d = create_activity_draft(actor=owner, commune=world.commune, activity=Activity.objects.get(code=code),
                              owner=owner, title="Mon activité")
    assert d.procedure.code == procedure and d.declared["activity"] == code
    assert classify(d.procedure_version, d.declared).project_class.code == klass


def test_the_new_application_page_files_by_activity(world, client):
    owner = world.users["owner"]
    client.force_login(owner)
    response = client.post("/fr/files/new/", {"commune": world.commune.code, "activity": "cafe", "procedure": "",
                                              "owner_email": owner.email, "title": "Café Les Jardins"})
    assert response.status_code == 302
    d = Dossier.objects.get(applicant=owner)
    assert d.procedure.code == "activite-autorisation" and d.declared == {"activity": "cafe"}


def test_an_unknown_activity_is_refused_next_to_the_field(world, client):
    owner = world.users["owner"]
    client.force_login(owner)
    response = client.post("/fr/files/new/", {"commune": world.commune.code, "activity": "nope", "procedure": "",
                                              "owner_email": owner.email, "title": "X"})
    assert response.status_code == 200
    assert 'data-testid="errors-activity"' in response.content.decode()
    assert not Dossier.objects.filter(applicant=owner).exists()


def test_no_procedure_and_no_activity_is_refused(world, client):
    owner = world.users["owner"]
    client.force_login(owner)
    response = client.post("/fr/files/new/", {"commune": world.commune.code, "procedure": "",
                                              "owner_email": owner.email, "title": "X"})
    assert response.status_code == 200 and not Dossier.objects.filter(applicant=owner).exists()


def test_the_search_works_without_javascript(world, client):
    client.force_login(world.users["owner"])
    page = client.post("/fr/files/new/", {"search": "activity", "activity_q": "boulangerie", "title": "Kept"}
                       ).content.decode()
    assert 'data-testid="activity-boulangerie"' in page and 'value="Kept"' in page


def test_activity_choices_in_the_declared_form(world):
    from rokhas.catalogue.declared_data import choices_of
    from rokhas.catalogue.models import Procedure

    spec = next(f for f in Procedure.objects.get(code="activite-declaration").versions.get().form_schema
                if f["name"] == "activity")
    values = {c[0] for c in choices_of(spec)}
    assert "epicerie" in values and "cafe" not in values  # only the simple-declaration activities
