"""Authorisation matrix: EVERY URL pattern of the project (API, web, admin) and the status
each kind of person gets on it, for a file in a given state.

The test walks get_resolver().url_patterns; a pattern that the matrix does not list makes
`test_every_url_pattern_is_in_the_matrix` FAIL. So a new endpoint cannot ship without
someone deciding, here, who may use it.

HOW TO ADD AN ENDPOINT
1. Run `pytest tests/api/test_authorisation_matrix.py -q`: the failure prints the missing
   route exactly as the resolver spells it (i18n pages carry the "fr/" prefix), e.g.
   "fr/files/<id:pk>/archive/".
2. Add one `Case(...)` to MATRIX below (in the API or the web section) with:
   - route: that string; method: "GET", "POST", "PATCH"...;
   - state: the state of the file the request acts on: "draft", "submitted", "returned",
     "in_review" or "granted" (a signed decision; slower, real signing);
   - expect: the status for EVERY role in ROLES. Use `on_file(state, ok=..., ...)`: roles
     in `ok` get `ok_status`; the others who can see the file get `seen` (403 by default,
     the reason is shown); those who cannot see it get 404 (an invisible file does not
     exist); anonymous gets `anonymous`. Or `everyone(status, anonymous=...)` for pages
     that do not depend on a file. Pass role=status keywords to override single roles;
   - body / fmt / query / headers if the request needs them; signers=True if the request
     signs (the president's and delegate's certificates are then issued). A `body` may be a function
     (scenario, role) -> dict, called afresh for each request (files are read once).
   Several Cases may share a route (e.g. the same URL on a draft and on a filed file).
3. Placeholders in the route are filled from the scenario: pk (the file), version_id (a
   document version of the file), number (round 1), code (the decision's verification
   code), object_id / content_type_id / id (1). Routes written as regular expressions
   need an explicit `path=`.
Each request runs in a savepoint that is rolled back, so every role meets the file in the
same state and a successful action (2xx / redirect) by one role does not change what the
next role sees.

Admin pages (everything under "fr/admin/") are covered by one rule tested on every admin
pattern: nobody in the world is staff, so all of them redirect to the admin login.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

from rokhas.demo.seed import DEMO_PASSWORD, DEMO_PIN
from tests.api.conftest import client_for
from tests.conftest import make_pdf

ROLES = ("anonymous", "architect", "owner", "other_citizen", "guichet", "other_guichet",
         "commune_reviewer", "urban_agency", "local_authority", "civil_protection",
         "president", "delegate", "other_president", "supervisor")

# Who can see a (small-project) file of the world's commune, by state. civil_protection sits
# only on the commission of large projects: never consulted here, so it never sees the file.
PARTIES = {"architect", "owner"}
COMMUNE = {"guichet", "president", "delegate"}
CONSULTED = {"commune_reviewer", "urban_agency", "local_authority"}
VISIBLE = {
    "draft": PARTIES,
    "submitted": PARTIES | COMMUNE | {"supervisor"},
    "returned": PARTIES | COMMUNE | {"supervisor"},
    "in_review": PARTIES | COMMUNE | CONSULTED | {"supervisor"},
    "granted": PARTIES | COMMUNE | CONSULTED | {"supervisor"},
}
ADMIN_PREFIX = "fr/admin/"


def on_file(state: str, *, ok=(), ok_status: int = 200, seen: int = 403, hidden: int = 404,
            anonymous: int = 401, **override: int) -> dict[str, int]:
    out = {}
    for role in ROLES:
        if role == "anonymous":
            out[role] = anonymous
        elif role in ok:
            out[role] = ok_status
        elif role in VISIBLE[state]:
            out[role] = seen
        else:
            out[role] = hidden
    out.update(override)
    return out


def everyone(status: int, *, anonymous: int | None = None, **override: int) -> dict[str, int]:
    out = {role: status for role in ROLES}
    if anonymous is not None:
        out["anonymous"] = anonymous
    out.update(override)
    return out


@dataclass(frozen=True)
class Case:
    route: str
    method: str
    state: str
    expect: dict[str, int]
    body: dict | Callable | None = None
    fmt: str = "json"
    query: dict | None = None
    headers: dict = field(default_factory=dict)
    path: str | None = None
    signers: bool = False  # the president's and delegate's certificates are needed (real signing)

    @property
    def id(self) -> str:
        return f"{self.method} {self.route} [{self.state}]"


def _pdf(name="plan.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, make_pdf(), content_type="application/pdf")


def _credentials(scenario, role):
    if role == "anonymous":
        return {"username": "nobody", "password": "wrong-password"}
    return {"username": scenario.world.users[role].username, "password": DEMO_PASSWORD}


def _new_file(scenario, role):
    return {"commune": scenario.world.commune.code, "procedure": "permis-construire",
            "owner": scenario.world.users["owner"].email, "title": "Maison"}


def _web_new_file(scenario, role):
    return {"commune": scenario.world.commune.code, "procedure": "permis-construire",
            "owner_email": scenario.world.users["owner"].email, "title": "Maison"}


def _annotation(scenario, role):
    return {"version": scenario.version_id, "page": 1, "x": 0.5, "y": 0.25, "text": "Retrait"}


AUTH_ALL = everyone(200, anonymous=401)
SESSION_API = "api/v1/commission/sessions/<apiid:session_id>/"
SESSION_WEB = "fr/commission/<id:session_id>/"
SESSION_PEOPLE = {"guichet"} | {"commune_reviewer", "urban_agency", "local_authority"}
OPINION = {"verdict": "favorable", "text": ""}
DECIDE = {"outcome": "granted", "conditions": "", "reasons": "", "pin": DEMO_PIN}
FILED = "api/v1/dossiers/<apiid:pk>/"

MATRIX: list[Case] = [
    # --- API: schema and docs (public) --------------------------------------------------------
    Case("api/schema/", "GET", "submitted", everyone(200)),
    Case("api/docs/", "GET", "submitted", everyone(200)),
    # --- API: public reference data ---------------------------------------------------------------
    Case("api/v1/auth/token/", "POST", "submitted", everyone(200, anonymous=400), body=_credentials),
    # A session carries its own second factor: only a token may be verified here.
    Case("api/v1/auth/second-factor/", "POST", "submitted", everyone(400, anonymous=401), body={"code": "000000"}),
    Case("api/v1/communes/", "GET", "submitted", everyone(200), query={"q": "ken"}),
    Case("api/v1/procedures/", "GET", "submitted", everyone(200)),
    Case("api/v1/activities/", "GET", "submitted", everyone(200), query={"q": "cafe"}),
    Case("api/v1/return-reasons/", "GET", "submitted", everyone(200)),
    Case("api/v1/verify/", "POST", "submitted", everyone(200), body=lambda sc, role: {"file": _pdf()},
         fmt="multipart"),
    Case("api/v1/verify/<apicode:code>/", "GET", "granted", everyone(200)),
    # --- API: files -----------------------------------------------------------------------------------
    Case("api/v1/dossiers/", "GET", "submitted", AUTH_ALL),
    Case("api/v1/dossiers/", "GET", "submitted", AUTH_ALL, query={"role": "guichet"}),
    Case("api/v1/dossiers/", "POST", "submitted", everyone(201, anonymous=401), body=_new_file),
    Case(FILED, "GET", "draft", on_file("draft", ok=PARTIES)),
    Case(FILED, "GET", "in_review", on_file("in_review", ok=VISIBLE["in_review"])),
    Case(FILED, "PATCH", "draft", on_file("draft", ok={"architect"}), body={"title": "Villa B."}),
    Case(FILED, "PATCH", "in_review", on_file("in_review"), body={"title": "Villa B."}),
    Case(FILED + "documents/", "POST", "draft", on_file("draft", ok={"architect"}, ok_status=201),
         body=lambda sc, role: {"document_type": "plan-situation", "file": _pdf()}, fmt="multipart"),
    Case(FILED + "documents/", "POST", "submitted", on_file("submitted"),
         body=lambda sc, role: {"document_type": "plan-situation", "file": _pdf()}, fmt="multipart"),
    Case(FILED + "documents/<apiid:version_id>/content", "GET", "draft", on_file("draft", ok=PARTIES)),
    Case(FILED + "documents/<apiid:version_id>/content", "GET", "in_review",
         on_file("in_review", ok=VISIBLE["in_review"])),
    Case(FILED + "submit/", "POST", "draft", on_file("draft", ok={"architect"})),
    Case(FILED + "submit/", "POST", "in_review", on_file("in_review")),
    Case(FILED + "receipt.pdf", "GET", "draft", on_file("draft", seen=404)),  # no receipt before filing
    Case(FILED + "receipt.pdf", "GET", "submitted", on_file("submitted", ok=VISIBLE["submitted"])),
    Case(FILED + "accept/", "POST", "submitted", on_file("submitted", ok={"guichet"})),
    Case(FILED + "accept/", "POST", "in_review", on_file("in_review")),
    Case(FILED + "return/", "POST", "submitted", on_file("submitted", ok={"guichet"}),
         body={"reasons": ["doc-illegible"], "message": "Plans illisibles"}),
    Case(FILED + "opinions/", "POST", "in_review", on_file("in_review", ok=CONSULTED, ok_status=201), body=OPINION),
    Case(FILED + "opinions/", "POST", "submitted", on_file("submitted"), body=OPINION),
    Case(FILED + "decision/", "POST", "in_review", on_file("in_review", ok={"president", "delegate"}, ok_status=201),
         body=DECIDE, signers=True),
    Case(FILED + "decision/", "POST", "submitted", on_file("submitted"), body=DECIDE),
    Case(FILED + "decision.pdf", "GET", "in_review", on_file("in_review", seen=404)),  # none yet
    Case(FILED + "decision.pdf", "GET", "granted", on_file("granted", ok=VISIBLE["granted"])),
    # MESSAGE = those who take part in a filed file; the supervisor only reads (access.can).
    Case(FILED + "messages/", "POST", "in_review",
         on_file("in_review", ok=VISIBLE["in_review"] - {"supervisor"}, ok_status=201),
         body={"body": "Bonjour"}),
    Case(FILED + "messages/", "POST", "draft", on_file("draft"), body={"body": "Bonjour"}),
    Case(FILED + "rounds/<apiround:number>/changes", "GET", "returned",
         on_file("returned", ok=VISIBLE["returned"])),
    # --- API: fees and payments (no commune rates in this world: no invoice, nothing to pay) -----------
    Case(FILED + "fees/", "GET", "granted", on_file("granted", ok=VISIBLE["granted"]), signers=True),
    Case(FILED + "pay/", "POST", "granted", on_file("granted", ok=PARTIES, ok_status=400), signers=True),
    Case(FILED + "pay/", "POST", "draft", on_file("draft")),  # nothing is paid on a draft
    Case(FILED + "payments/<apiid:id>/receipt.pdf", "GET", "granted", on_file("granted", seen=404), signers=True),
    # The cashier's view: the commune's staff (and supervisors); another commune's staff are refused.
    Case("api/v1/payments/collected/", "GET", "submitted",
         everyone(403, anonymous=401, guichet=200, president=200, delegate=200, supervisor=200),
         query={"commune": "281.01.01"}),
    # --- API: commission sessions (rokhas.commission.access). The scenario's session is the
    # guichet's, with the file on its agenda and its three consulted members invited and present;
    # everyone else does not see the session (404), even those who see the file.
    Case("api/v1/commission/sessions/", "GET", "in_review", AUTH_ALL),
    Case("api/v1/commission/sessions/", "POST", "in_review",
         on_file("in_review", ok={"guichet", "other_guichet"}, ok_status=201, hidden=403),
         body={"starts_at": "2030-01-07T10:00:00+01:00", "mode": "remote"}),
    Case(SESSION_API, "GET", "in_review", on_file("in_review", ok=SESSION_PEOPLE, seen=404)),
    Case(SESSION_API + "agenda/", "GET", "in_review", on_file("in_review", ok=SESSION_PEOPLE, seen=404)),
    Case(SESSION_API + "dossiers/<apiid:pk>/annotations/", "GET", "in_review",
         on_file("in_review", ok=SESSION_PEOPLE, seen=404)),
    Case(SESSION_API + "dossiers/<apiid:pk>/annotations/", "POST", "in_review",
         on_file("in_review", ok=SESSION_PEOPLE, ok_status=201, seen=404), body=_annotation),
]

WEB_LOGIN = 302  # login_required: anonymous is sent to the sign-in page
FILES = "fr/files/<id:pk>/"
MATRIX += [
    # --- web: public pages --------------------------------------------------------------------------------
    Case("i18n/setlang/", "POST", "submitted", everyone(302), body={"language": "ar", "next": "/"}, fmt="multipart"),
    # The development PKI's CA certificate and CRL: public, as the certificates name them.
    Case("pki/rokhas-test-ca.crl", "GET", "submitted", everyone(200), signers=True),
    Case("pki/rokhas-test-ca.pem", "GET", "submitted", everyone(200), signers=True),
    Case("fr/verify/", "GET", "submitted", everyone(200)),
    Case("fr/verify/<str:code>/", "GET", "granted", everyone(200)),
    Case("fr/", "GET", "submitted", everyone(200)),
    Case("fr/login/", "GET", "submitted", everyone(302, anonymous=200)),  # signed in: sent home
    Case("fr/logout/", "POST", "submitted", everyone(302), fmt="multipart"),  # to LOGOUT_REDIRECT_URL
    # TOTP step: with ROKHAS_REQUIRE_OTP off (tests), nobody is asked and everyone is sent on.
    Case("fr/login/second-factor/", "GET", "submitted", everyone(302)),
    # --- web: filing ------------------------------------------------------------------------------------------
    Case("fr/files/new/", "GET", "submitted", everyone(200, anonymous=WEB_LOGIN)),
    Case("fr/files/new/", "POST", "submitted", everyone(302, anonymous=WEB_LOGIN), body=_web_new_file,
         fmt="multipart"),
    Case("fr/files/new/communes/", "GET", "submitted", everyone(200, anonymous=WEB_LOGIN), query={"q": "ken"}),
    Case("fr/files/new/activities/", "GET", "submitted", everyone(200, anonymous=WEB_LOGIN),
         query={"activity_q": "cafe"}),
    Case(FILES, "GET", "draft", on_file("draft", ok=PARTIES, anonymous=WEB_LOGIN)),
    Case(FILES, "GET", "in_review", on_file("in_review", ok=VISIBLE["in_review"], anonymous=WEB_LOGIN)),
    # The draft page: the owner (who cannot edit) is sent to the file page.
    Case(FILES + "edit/", "GET", "draft", on_file("draft", ok={"architect"}, seen=302, anonymous=WEB_LOGIN)),
    Case(FILES + "edit/", "POST", "draft", on_file("draft", ok={"architect"}, ok_status=302, anonymous=WEB_LOGIN),
         body={"title": "Villa B."}, fmt="multipart"),
    Case(FILES + "documents/", "POST", "draft",
         on_file("draft", ok={"architect"}, ok_status=302, anonymous=WEB_LOGIN),
         body=lambda sc, role: {"document_type": "plan-situation", "file": _pdf()}, fmt="multipart"),
    Case(FILES + "submit/", "POST", "draft", on_file("draft", ok={"architect"}, ok_status=302, anonymous=WEB_LOGIN),
         body={"token": "matrix"}, fmt="multipart"),
    Case(FILES + "documents/<id:version_id>/", "GET", "in_review",
         on_file("in_review", ok=VISIBLE["in_review"], anonymous=WEB_LOGIN)),
    Case(FILES + "receipt/<id:number>/", "GET", "submitted",
         on_file("submitted", ok=VISIBLE["submitted"], anonymous=WEB_LOGIN)),
    Case(FILES + "decision/", "GET", "granted", on_file("granted", ok=VISIBLE["granted"], anonymous=WEB_LOGIN)),
    # --- web: actions (a success redirects to the file page) --------------------------------------------
    Case(FILES + "accept/", "POST", "submitted",
         on_file("submitted", ok={"guichet"}, ok_status=302, anonymous=WEB_LOGIN), fmt="multipart"),
    Case(FILES + "return/", "POST", "submitted",
         on_file("submitted", ok={"guichet"}, ok_status=302, anonymous=WEB_LOGIN),
         body={"reasons": ["doc-illegible"], "message": "Plans illisibles"}, fmt="multipart"),
    Case(FILES + "opinion/", "POST", "in_review",
         on_file("in_review", ok=CONSULTED, ok_status=302, anonymous=WEB_LOGIN), body=OPINION, fmt="multipart"),
    Case(FILES + "decide/", "POST", "in_review",
         on_file("in_review", ok={"president", "delegate"}, ok_status=302, anonymous=WEB_LOGIN),
         body=DECIDE, fmt="multipart", signers=True),
    Case(FILES + "messages/", "POST", "in_review",
         on_file("in_review", ok=VISIBLE["in_review"] - {"supervisor"}, ok_status=302, anonymous=WEB_LOGIN),
         body={"body": "Bonjour"}, fmt="multipart"),
    # --- web: fees and payments ------------------------------------------------------------------------------
    Case(FILES + "pay/", "POST", "granted", on_file("granted", ok=PARTIES, ok_status=302, anonymous=WEB_LOGIN),
         fmt="multipart", signers=True),
    Case(FILES + "payments/<id:id>/receipt/", "GET", "granted", on_file("granted", seen=404, anonymous=WEB_LOGIN),
         signers=True),
    Case("fr/cashier/", "GET", "submitted",
         everyone(403, anonymous=WEB_LOGIN, guichet=200, president=200, delegate=200, supervisor=200,
                  other_guichet=200, other_president=200)),
    # The payment gateway's side (no session): the signature decides, not the login.
    Case("payments/callback/<slug:provider>/", "POST", "submitted", everyone(403), path="/payments/callback/cmi/",
         fmt="multipart", body={"oid": "x", "HASH": "forged"}),
    Case("payments/return/<slug:outcome>/", "GET", "submitted", everyone(302), path="/payments/return/ok/"),
    # The local test gateway (on in tests): an unsigned merchant form is refused.
    Case("dev-gateway/", "POST", "submitted", everyone(400), fmt="multipart", body={"oid": "x"}),
    Case("dev-gateway/pay/", "POST", "submitted", everyone(400), fmt="multipart", body={"oid": "x"}),
    # --- web: commission sessions (see the API section: who is in the scenario's session) ---------------
    Case("fr/commission/", "GET", "in_review", everyone(200, anonymous=WEB_LOGIN)),
    Case("fr/commission/new/", "POST", "in_review",
         on_file("in_review", ok={"guichet", "other_guichet"}, ok_status=302, hidden=403, anonymous=WEB_LOGIN),
         body={"starts_at": "2030-01-07T10:00", "mode": "remote"}, fmt="multipart"),
    Case(SESSION_WEB, "GET", "in_review", on_file("in_review", ok=SESSION_PEOPLE, seen=404, anonymous=WEB_LOGIN)),
    # Organiser's actions: the members see the session but may not run it (403).
    Case(SESSION_WEB + "agenda/", "POST", "in_review",
         on_file("in_review", ok={"guichet"}, ok_status=302, seen=404, anonymous=WEB_LOGIN,
                 **dict.fromkeys(SESSION_PEOPLE - {"guichet"}, 403)),
         body=lambda sc, role: {"op": "down", "dossier": sc.dossier.pk}, fmt="multipart"),
    Case(SESSION_WEB + "invitations/", "POST", "in_review",
         on_file("in_review", ok={"guichet"}, ok_status=302, seen=404, anonymous=WEB_LOGIN,
                 **dict.fromkeys(SESSION_PEOPLE - {"guichet"}, 403)), fmt="multipart"),
    Case(SESSION_WEB + "attendance/", "POST", "in_review",
         on_file("in_review", ok={"guichet"}, ok_status=302, seen=404, anonymous=WEB_LOGIN,
                 **dict.fromkeys(SESSION_PEOPLE - {"guichet"}, 403)), fmt="multipart"),
    Case(SESSION_WEB + "minutes/", "POST", "in_review",
         on_file("in_review", ok={"guichet"}, ok_status=302, seen=404, anonymous=WEB_LOGIN,
                 **dict.fromkeys(SESSION_PEOPLE - {"guichet"}, 403)), fmt="multipart"),
    # Signing needs drafted minutes: while the session is open nobody may sign (403), others see nothing.
    Case(SESSION_WEB + "minutes/sign/", "POST", "in_review",
         on_file("in_review", ok=(), seen=404, anonymous=WEB_LOGIN, **dict.fromkeys(SESSION_PEOPLE, 403)),
         body={"pin": DEMO_PIN}, fmt="multipart"),
    Case(SESSION_WEB + "minutes.pdf", "GET", "in_review", on_file("in_review", seen=404, anonymous=WEB_LOGIN,
                                                                  **dict.fromkeys(SESSION_PEOPLE, 404))),
    Case(SESSION_WEB + "files/<id:pk>/", "GET", "in_review",
         on_file("in_review", ok=SESSION_PEOPLE, seen=404, anonymous=WEB_LOGIN)),
    Case(SESSION_WEB + "files/<id:pk>/annotations/", "GET", "in_review",
         on_file("in_review", ok=SESSION_PEOPLE, seen=404, anonymous=WEB_LOGIN)),
    Case(SESSION_WEB + "files/<id:pk>/annotations/", "POST", "in_review",
         on_file("in_review", ok=SESSION_PEOPLE, ok_status=201, seen=404, anonymous=WEB_LOGIN),
         body=_annotation, fmt="multipart"),
    # The opinion in session: the consulted members (review.give_opinion); the guichet runs the
    # session but gives no opinion (403).
    Case(SESSION_WEB + "files/<id:pk>/opinion/", "POST", "in_review",
         on_file("in_review", ok=CONSULTED, ok_status=302, seen=404, anonymous=WEB_LOGIN, guichet=403),
         body=OPINION, fmt="multipart"),
    Case(FILES + "documents/<id:version_id>/pages/<id:number>.png", "GET", "in_review",
         on_file("in_review", ok=VISIBLE["in_review"], anonymous=WEB_LOGIN)),
]

# Admin: one rule, checked on every admin pattern (GET). Nobody in the world is staff.
ADMIN_EXPECT = everyone(302)
ADMIN_EXCEPTIONS = {
    "fr/admin/login/": everyone(200),  # the sign-in form (signed-in non-staff are told they lack access)
    "fr/admin/logout/": everyone(302),  # POST only; GET: non-staff are sent to the admin login first
}
ADMIN_PATHS = {  # regular-expression routes: a concrete path to request
    r"fr/admin/^(?P<app_label>": "/fr/admin/territory/",
    r"fr/admin/(?P<url>.*)$": "/fr/admin/no-such-page/",
}


# --- enumeration -----------------------------------------------------------------------------------------


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def all_routes() -> set[str]:
    with translation.override("fr"):
        return set(_walk(get_resolver().url_patterns))


def test_every_url_pattern_is_in_the_matrix():
    listed = {case.route for case in MATRIX}
    missing = sorted(r for r in all_routes() - listed if not r.startswith(ADMIN_PREFIX))
    assert not missing, (
        "These URL patterns are not in the authorisation matrix. Add a Case for each to MATRIX in "
        "tests/api/test_authorisation_matrix.py (see the docstring: who gets which status?):\n  "
        + "\n  ".join(missing))


def test_the_matrix_lists_no_url_that_does_not_exist():
    stale = sorted({case.route for case in MATRIX} - all_routes())
    assert not stale, "The matrix lists routes that no longer exist; remove or rename them:\n  " + "\n  ".join(stale)


def test_every_case_gives_every_role():
    for case in MATRIX:
        assert set(case.expect) == set(ROLES), case.id


# --- running the cases ---------------------------------------------------------------------------------


@dataclass
class Scenario:
    world: object
    dossier: object
    version_id: int
    code: str


@pytest.fixture
def fast_pdfs(monkeypatch):
    """The matrix is about who may do what: official PDFs are stubbed (real ones take seconds
    each; test_api_flow renders and signs real ones). Signing itself stays real."""
    from rokhas.decisions import documents
    from rokhas.pdfs import render

    monkeypatch.setattr(render, "render_receipt", lambda ctx: make_pdf(text="receipt"))
    monkeypatch.setattr(documents, "render_decision", lambda ctx: make_pdf(text="decision"))


@pytest.fixture
def scenario(request, world, fast_pdfs):
    """A function state -> Scenario: the world's small-project file brought to that state
    through the domain services (after-commit mails are not run)."""
    from rokhas.catalogue.classification import classify
    from rokhas.catalogue.models import Procedure, ReturnReason
    from rokhas.documents.models import DocumentVersion
    from rokhas.dossiers import services
    from rokhas.review import services as review
    from tests.conftest import PETIT_PROJET, upload

    def _make(state: str, signers: bool = False) -> Scenario:
        if state == "granted" or signers:
            request.getfixturevalue("signer_world")
        u = world.users
        d = services.create_draft(actor=u["architect"], commune=world.commune, owner=u["owner"], title="Villa",
                                  procedure=Procedure.objects.get(code="permis-construire"))
        d = services.update_draft(actor=u["architect"], dossier=d, title=None, declared=PETIT_PROJET)
        cls = classify(d.procedure_version, d.declared).project_class
        for r in d.procedure_version.required_documents.all():
            if r.project_class_id in (None, cls.pk):
                services.attach_document(actor=u["architect"], dossier=d, document_type=r.document_type,
                                         uploaded=upload(f"{r.document_type.code}.pdf"))
        if state != "draft":
            d = services.submit(actor=u["architect"], dossier=d, token="matrix")
        if state == "returned":
            d = services.return_for_complements(actor=u["guichet"], dossier=d, message="Plans illisibles",
                                                reasons=[ReturnReason.objects.get(code="doc-illegible")])
        if state in ("in_review", "granted"):
            d = services.accept_and_dispatch(actor=u["guichet"], dossier=d)
        code = "ABCDE-12345"
        if state == "granted":
            from rokhas.decisions.services import decide

            for key in sorted(CONSULTED):
                review.give_opinion(actor=u[key], dossier=d, verdict="favorable", text="")
            code = decide(actor=u["president"], dossier=d, outcome="granted", pin=DEMO_PIN).verification_code
        version = DocumentVersion.objects.filter(document__dossier=d).order_by("pk").first()
        return Scenario(world, d, version.pk, code)

    return _make


def _commission_session(scenario: Scenario) -> int:
    """The guichet's session with the file on its agenda, its members invited and present."""
    import datetime

    from django.utils import timezone

    from rokhas.commission import services as commission

    guichet = scenario.world.users["guichet"]
    starts_at = timezone.now() + datetime.timedelta(days=1)
    session = commission.create_session(actor=guichet, starts_at=starts_at, mode="remote")
    commission.send_invitations(actor=guichet, session=session)
    commission.record_attendance(actor=guichet, session=session,
                                 attendance={p.pk: "present" for p in session.participants.all()})
    return session.pk


def _fill(route: str, scenario: Scenario) -> str:
    values = {"pk": scenario.dossier.pk, "version_id": scenario.version_id, "number": 1, "code": scenario.code,
              "object_id": 1, "content_type_id": 1, "id": 1}
    if "session_id" in route:
        values["session_id"] = _commission_session(scenario)
    return "/" + re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(values[m.group(1)]), route)


def _send(client, method: str, path: str, case: Case | None, scenario: Scenario, role: str) -> int:
    kwargs = {}
    if case is not None:
        body = case.body(scenario, role) if callable(case.body) else case.body
        if method == "GET":
            kwargs["data"] = case.query
        else:
            if case.query:
                from urllib.parse import urlencode

                path += "?" + urlencode(case.query)
            kwargs.update(data=body, format=case.fmt)
        kwargs.update(case.headers)
    with transaction.atomic():
        try:
            response = getattr(client, method.lower())(path, **kwargs)
        except Exception as exc:  # noqa: BLE001 - a crash is a 500 in the report
            transaction.set_rollback(True)
            return f"500 ({type(exc).__name__}: {exc})"
        transaction.set_rollback(True)
    return response.status_code


def _clients(world):
    return {role: client_for(None if role == "anonymous" else world.users[role]) for role in ROLES}


@pytest.mark.parametrize("case", MATRIX, ids=[c.id for c in MATRIX])
def test_matrix(case: Case, scenario, world):
    sc = scenario(case.state, case.signers)
    clients = _clients(world)
    path = case.path or _fill(case.route, sc)
    got = {role: _send(clients[role], case.method, path, case, sc, role) for role in ROLES}
    wrong = {role: f"expected {case.expect[role]}, got {got[role]}" for role in ROLES if got[role] != case.expect[role]}
    assert not wrong, f"{case.id} ({path}):\n  " + "\n  ".join(f"{r}: {w}" for r, w in wrong.items())


def test_admin_pages_are_closed_to_everyone_who_is_not_staff(scenario, world):
    sc = scenario("submitted")
    clients = _clients(world)
    routes = sorted(r for r in all_routes() if r.startswith(ADMIN_PREFIX))
    assert len(routes) > 10
    problems = []
    for route in routes:
        path = next((p for prefix, p in ADMIN_PATHS.items() if route.startswith(prefix)), None) or _fill(route, sc)
        expect = ADMIN_EXCEPTIONS.get(route, ADMIN_EXPECT)
        for role in ROLES:
            status = _send(clients[role], "GET", path, None, sc, role)
            if status != expect[role]:
                problems.append(f"{route} ({path}) {role}: expected {expect[role]}, got {status}")
    assert not problems, "\n".join(problems)
