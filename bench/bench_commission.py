"""Commission sessions: (a) agenda generation for the largest commune with 5,000 open files,
through the real selector vs the equivalent hand-written SQL on the same connection (and the
whole create_session service, rolled back); (b) live annotation latency: how long until a
second participant sees a note, with 20 participants polling every second as commission.js
does, against gunicorn sync workers on 127.0.0.1.

Runs on its own throw-away database (default postgres://postgres@127.0.0.1:5432/
rokhas_bench_commission, created and filled if empty; never rokhas_bench):

    .venv/bin/python bench/bench_commission.py [--open-files 5000] [--closed-files 30000]
        [--runs 100] [--participants 20] [--notes 30] [--workers 4] [--reset]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PYTHON, ROOT, admin_url, check_local, db_name, median, migrate, pct, setup_django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/rokhas_bench_commission"
HOST = "127.0.0.1"
POLL_SECONDS = 1.0  # as commission.js
CSRF = "b" * 32


def ensure_database(url: str, reset: bool) -> None:
    import psycopg

    name = db_name(url)
    if name == "rokhas_bench":
        raise SystemExit("bench_commission: refusing to use rokhas_bench (the lead's database)")
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reset:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


# --- data -----------------------------------------------------------------------------------


def build_world(open_files: int, closed_files: int) -> dict:
    from django.db import transaction

    with transaction.atomic():  # all or nothing: a half-built world would be reused as it is
        return _build_world(open_files, closed_files)


def _build_world(open_files: int, closed_files: int) -> dict:
    """The largest commune with its single window and commission, `open_files` files under
    review (opinions partly given) and `closed_files` decided ones; a second commune's files
    as background. Rows only, bulk-inserted (the services are measured elsewhere)."""
    from rokhas.accounts.models import Membership, Organisation, User
    from rokhas.catalogue.loading import load_all
    from rokhas.catalogue.models import Procedure
    from rokhas.dossiers.models import Dossier, Round
    from rokhas.review.models import Consultation, Opinion
    from rokhas.territory.models import Commune, Province, Region

    commune = Commune.objects.filter(code="141.99.01").first()
    if commune is not None:
        return world_info(commune)
    load_all()
    region = Region.objects.create(code="96", name_fr="Bench", name_ar="بنش")
    province = Province.objects.create(code="961", region=region, name_fr="Bench", name_ar="بنش")
    commune = Commune.objects.create(code="141.99.01", province=province, name_fr="Grande Ville",
                                     name_ar="المدينة الكبرى", population=3_300_000)
    other = Commune.objects.create(code="141.99.02", province=province, name_fr="Autre", name_ar="أخرى",
                                   population=90_000)
    K, R = Organisation.Kind, Membership.Role
    orgs = {
        "commune": Organisation.objects.create(code="b-commune", kind=K.COMMUNE, name_fr="Commune", name_ar="جماعة",
                                               commune=commune),
        "urban_agency": Organisation.objects.create(code="b-au", kind=K.URBAN_AGENCY, name_fr="AU", name_ar="و",
                                                    province=province),
        "local_authority": Organisation.objects.create(code="b-al", kind=K.LOCAL_AUTHORITY, name_fr="AL",
                                                       name_ar="س", commune=commune),
        "civil_protection": Organisation.objects.create(code="b-pc", kind=K.CIVIL_PROTECTION, name_fr="PC",
                                                        name_ar="و م", province=province),
    }
    Organisation.objects.create(code="b-commune-2", kind=K.COMMUNE, name_fr="Commune 2", name_ar="جماعة 2",
                                commune=other)
    user = lambda name: User.objects.create_user(name, f"{name}@bench.ma", "x", kind="official",  # noqa: E731
                                                 first_name=name, last_name="Bench")
    guichet = user("b-guichet")
    Membership.objects.create(user=guichet, organisation=orgs["commune"], role=R.GUICHET_AGENT)
    architect, owner = user("b-architect"), user("b-owner")
    # 5 reviewers per consulted organisation: 20 commission members.
    for key, org in orgs.items():
        for i in range(5):
            Membership.objects.create(user=user(f"b-{key}-{i}"), organisation=org, role=R.REVIEWER)
    version = Procedure.objects.get(code="permis-construire").versions.order_by("-effective_from").first()
    classes = list(version.classes.prefetch_related("seats"))
    kind_org = {o.kind: o for o in orgs.values()}
    rng = random.Random(7)
    today = dt.date.today()
    now = dt.datetime.now(dt.UTC)
    plan = ([(commune, Dossier.Status.IN_REVIEW)] * open_files + [(commune, Dossier.Status.GRANTED)] * closed_files
            + [(other, Dossier.Status.IN_REVIEW)] * (open_files // 5) + [(other, Dossier.Status.GRANTED)] * 5000)
    for start in range(0, len(plan), 5000):
        chunk = plan[start:start + 5000]
        dossiers = Dossier.objects.bulk_create([
            Dossier(commune=c, procedure_version=version, project_class=rng.choice(classes), applicant=architect,
                    owner=owner, title="Bench", status=s, reference=f"B-{c.code}-{start + i}", year=2026,
                    sequence=start + i + 1, filed_at=now, legal_due_date=today + dt.timedelta(days=rng.randint(-5, 40)))
            for i, (c, s) in enumerate(chunk)])
        rounds = Round.objects.bulk_create([Round(dossier=d, number=1, submitted_at=now, submitted_by=architect,
                                                  accepted_at=now) for d in dossiers])
        consultations = []
        for d, r in zip(dossiers, rounds, strict=True):
            for seat in d.project_class.seats.all():
                org = kind_org.get(seat.organisation_kind)
                if org is None:
                    continue
                due = today + dt.timedelta(days=rng.randint(-10, 45) if d.status == "in_review" else -rng.randint(30, 900))
                consultations.append(Consultation(dossier=d, round=r, organisation=org, seat=seat,
                                                  dispatched_at=now, due_date=due))
        consultations = Consultation.objects.bulk_create(consultations)
        opinions = []
        for c in consultations:
            is_open = c.dossier.status == "in_review"
            roll = rng.random()
            if not is_open or roll < 0.5:
                opinions.append(Opinion(consultation=c, verdict="favorable", text="", author=architect, given_at=now))
            elif roll < 0.55:
                opinions.append(Opinion(consultation=c, verdict="ajourne", text="x", author=architect, given_at=now))
        Opinion.objects.bulk_create(opinions)
    return world_info(commune)


def world_info(commune) -> dict:
    from rokhas.accounts.models import Organisation, User

    return {"commune": commune, "organisation": Organisation.objects.get(code="b-commune"),
            "guichet": User.objects.get(username="b-guichet")}


# --- (a) agenda -----------------------------------------------------------------------------------

RAW_AGENDA = """
SELECT c.dossier_id, MIN(c.due_date) AS due
FROM review_consultation c JOIN dossiers_dossier d ON d.id = c.dossier_id
WHERE d.commune_id = %s AND d.status = 'in_review'
  AND NOT EXISTS (SELECT 1 FROM review_opinion o WHERE o.consultation_id = c.id AND o.verdict <> 'ajourne')
  AND NOT EXISTS (SELECT 1 FROM commission_agendaitem a JOIN commission_session s ON s.id = a.session_id
                  WHERE a.dossier_id = c.dossier_id AND s.status = 'scheduled')
GROUP BY c.dossier_id HAVING MIN(c.due_date) <= %s
ORDER BY due, c.dossier_id LIMIT %s
"""


def interleaved(a, b, runs: int) -> tuple[list[float], list[float]]:
    """Time a and b alternately, so that both meet the same load on a shared machine."""
    a(), b()  # warm-up
    out_a, out_b = [], []
    for _ in range(runs):
        for fn, out in ((a, out_a), (b, out_b)):
            t = time.perf_counter()
            fn()
            out.append((time.perf_counter() - t) * 1000)
    return out_a, out_b


def timed(fn, runs: int) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def bench_agenda(info: dict, runs: int) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from rokhas.commission import selectors, services
    from rokhas.dossiers.models import Dossier

    org, commune = info["organisation"], info["commune"]
    until = dt.date.today() + dt.timedelta(days=selectors.agenda_horizon_days())
    limit = selectors.agenda_size()
    open_files = Dossier.objects.filter(commune=commune, status="in_review").count()
    via_selector = lambda: selectors.agenda_candidates(org, until=until, limit=limit)  # noqa: E731

    def via_sql():
        with connection.cursor() as cur:
            cur.execute(RAW_AGENDA, [commune.pk, until, limit])
            return cur.fetchall()

    assert [tuple(r) for r in via_sql()] == via_selector(), "selector and raw SQL disagree"
    selector_ms, sql_ms = interleaved(via_selector, via_sql, runs)

    class Rollback(Exception):
        pass

    def whole_service():
        try:
            with transaction.atomic():
                services.create_session(actor=info["guichet"], starts_at=timezone.now() + dt.timedelta(days=1),
                                        mode="remote")
                raise Rollback
        except Rollback:
            pass

    service_ms = timed(whole_service, max(10, runs // 5))
    return {"open_files": open_files, "agenda_size": len(via_selector()), "runs": runs,
            "selector_median_ms": median(selector_ms), "selector_p95_ms": pct(selector_ms, 95),
            "raw_sql_median_ms": median(sql_ms), "raw_sql_p95_ms": pct(sql_ms, 95),
            "ratio_median": median(selector_ms) / median(sql_ms),
            "create_session_median_ms": median(service_ms), "create_session_p95_ms": pct(service_ms, 95)}


# --- (b) live annotation latency -------------------------------------------------------------------


def out_dir() -> Path:
    """Results and logs go to var/ (ignored by git); bench/README.md quotes the figures."""
    path = ROOT / "var" / "bench-commission"
    path.mkdir(parents=True, exist_ok=True)
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_gunicorn(url: str, workers: int, log: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "rokhas.settings", "PYTHONPATH": str(ROOT),
           "ROKHAS_LOG_LEVEL": "ERROR", "DATABASE_CONN_MAX_AGE": "60", "ROKHAS_REQUIRE_OTP": "0"}
    handle = open(log, "w")  # noqa: SIM115 - kept for the server's life
    proc = subprocess.Popen([PYTHON, "-m", "gunicorn", "rokhas.wsgi:application", "--bind", f"{HOST}:{port}",
                             "--workers", str(workers), "--worker-class", "sync", "--timeout", "60",
                             "--log-level", "warning"], cwd=ROOT, env=env, stdout=handle,
                            stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited; see {log}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/fr/login/")
            if conn.getresponse().status == 200:
                return proc, port
        except OSError:
            time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    raise SystemExit(f"gunicorn did not answer; see {log}")


def login_cookie(user) -> str:
    """A real session for `user` (as the login page would create), without typing a password."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = next(b for b in settings.AUTHENTICATION_BACKENDS if "ModelBackend" in b)
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={CSRF}"


def live_session(info: dict):
    """A session with one open file on its agenda and its 20 members invited."""
    from django.db.models import Count
    from django.utils import timezone

    from rokhas.commission import services
    from rokhas.documents.models import Document, DocumentVersion
    from rokhas.dossiers.models import Dossier

    dossier = (Dossier.objects.filter(commune=info["commune"], status="in_review")
               .annotate(n=Count("consultations")).filter(n__gte=4).order_by("pk").first())
    session = services.create_session(actor=info["guichet"], starts_at=timezone.now(), mode="remote")
    if not session.agenda_items.filter(dossier=dossier).exists():
        services.add_to_agenda(actor=info["guichet"], session=session, dossier=dossier)
    services.send_invitations(actor=info["guichet"], session=session)
    document, _created = Document.objects.get_or_create(
        dossier=dossier, document_type=dossier.procedure_version.required_documents.first().document_type)
    version, _created = DocumentVersion.objects.get_or_create(document=document, number=1, defaults={
        "storage_name": "bench/none.pdf", "original_name": "plan.pdf", "content_type": "application/pdf",
        "sha256": "0" * 64, "size": 1, "pages": 1, "uploaded_by": info["guichet"]})
    members = [p.user for p in session.participants.select_related("user")
               if p.user.memberships.filter(organisation__consultations__dossier=dossier).exists()]
    return session, dossier, version, members


def bench_latency(url: str, info: dict, participants: int, notes: int, workers: int) -> dict:
    session, dossier, version, members = live_session(info)
    members = members[:participants]
    cookies = [login_cookie(m) for m in members]
    proc, port = start_gunicorn(url, workers, out_dir() / "gunicorn.log")
    path = f"/fr/commission/{session.pk}/files/{dossier.pk}/annotations/"
    posted: dict[int, float] = {}
    seen: list[float] = []
    poll_ms: list[float] = []
    lock = threading.Lock()
    stop = threading.Event()
    errors: list[str] = []

    def poller(i: int):
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        cursor, rng = 0, random.Random(i)
        time.sleep(rng.random() * POLL_SECONDS)  # participants do not poll in step
        while not stop.is_set():
            t = time.perf_counter()
            try:
                conn.request("GET", f"{path}?since={cursor}", headers={"Cookie": cookies[i]})
                resp = conn.getresponse()
                body = resp.read()
            except (OSError, http.client.HTTPException) as exc:
                errors.append(repr(exc))
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
                continue
            now = time.perf_counter()
            if resp.status != 200:
                errors.append(f"poll {resp.status}")
            else:
                data = json.loads(body)
                with lock:
                    poll_ms.append((now - t) * 1000)
                    for a in data["annotations"]:
                        if a["id"] in posted and a["text"].split("|")[1] != str(i):
                            seen.append(now - posted[a["id"]])
                cursor = data["cursor"]
            stop.wait(max(0.0, POLL_SECONDS - (time.perf_counter() - t)))

    threads = [threading.Thread(target=poller, args=(i,), daemon=True) for i in range(len(members))]
    try:
        for t in threads:
            t.start()
        time.sleep(2)
        writer = http.client.HTTPConnection(HOST, port, timeout=30)
        rng = random.Random(1)
        post_ms = []
        for n in range(notes):
            author = rng.randrange(len(members))
            body = urlencode({"version": version.pk, "page": 1, "x": rng.random(), "y": rng.random(),
                              "text": f"note {n}|{author}"})
            t = time.perf_counter()
            writer.request("POST", path, body=body, headers={
                "Cookie": cookies[author], "X-CSRFToken": CSRF, "Content-Type": "application/x-www-form-urlencoded"})
            resp = writer.getresponse()
            raw = resp.read()
            post_ms.append((time.perf_counter() - t) * 1000)
            if resp.status != 201:
                errors.append(f"post {resp.status} {raw[:300]!r}")
                continue
            data = json.loads(raw)
            with lock:
                posted[data["id"]] = t
            time.sleep(1.5 + rng.random())
        time.sleep(10)  # let every poller catch up, even behind a slow request
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=10)
        proc.send_signal(signal.SIGTERM)  # the gunicorn master started above; it stops its workers
        proc.wait(timeout=20)
        # Bench bookkeeping: this session must not hold its file off the next run's agenda.
        type(session).objects.filter(pk=session.pk).update(status="closed")
    expected = len(posted) * (len(members) - 1)
    return {"participants": len(members), "notes": len(posted), "observations": len(seen),
            "expected_observations": expected, "workers": workers, "poll_interval_s": POLL_SECONDS,
            "latency_median_ms": median(seen) * 1000 if seen else None,
            "latency_p95_ms": pct(seen, 95) * 1000 if seen else None,
            "poll_request_median_ms": median(poll_ms), "poll_request_p95_ms": pct(poll_ms, 95),
            "post_median_ms": median(post_ms), "errors": errors[:5], "error_count": len(errors)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db-url", default=os.environ.get("BENCH_COMMISSION_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--open-files", type=int, default=5000)
    parser.add_argument("--closed-files", type=int, default=30000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--participants", type=int, default=20)
    parser.add_argument("--notes", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--reset", action="store_true", help="drop and rebuild the bench database")
    parser.add_argument("--only", choices=["agenda", "latency"], help="run one of the two measures")
    args = parser.parse_args()
    check_local(args.db_url)
    os.environ.setdefault("ROKHAS_VAR_DIR", str(ROOT / "var" / "bench-commission"))
    ensure_database(args.db_url, args.reset)
    migrate(args.db_url)
    setup_django(args.db_url)
    t = time.perf_counter()
    info = build_world(args.open_files, args.closed_files)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")  # fresh statistics after the bulk load, as autovacuum would do
    print(f"data ready in {time.perf_counter() - t:.1f} s")
    agenda = latency = None
    if args.only != "latency":
        agenda = bench_agenda(info, args.runs)
        print(f"(a) agenda for the largest commune ({agenda['open_files']} open files, agenda of "
              f"{agenda['agenda_size']}): selector median {agenda['selector_median_ms']:.2f} ms "
              f"(p95 {agenda['selector_p95_ms']:.2f}), raw SQL median {agenda['raw_sql_median_ms']:.2f} ms "
              f"(p95 {agenda['raw_sql_p95_ms']:.2f}), ratio {agenda['ratio_median']:.2f}; whole create_session "
              f"median {agenda['create_session_median_ms']:.1f} ms (p95 {agenda['create_session_p95_ms']:.1f})")
    if args.only != "agenda":
        latency = bench_latency(args.db_url, info, args.participants, args.notes, args.workers)
        print(f"(b) live annotation, {latency['participants']} participants polling every {POLL_SECONDS:.0f} s, "
              f"gunicorn {latency['workers']} sync workers: seen by the others after median "
              f"{latency['latency_median_ms'] or float('nan'):.0f} ms, p95 {latency['latency_p95_ms'] or float('nan'):.0f} ms "
              f"({latency['observations']}/{latency['expected_observations']} observations); poll request median "
              f"{latency['poll_request_median_ms']:.1f} ms (p95 {latency['poll_request_p95_ms']:.1f}); "
              f"errors {latency['error_count']}")
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
          "(1/5/15 min; other work on the machine inflates the figures)")
    out = out_dir() / "commission.json"
    out.write_text(json.dumps({"agenda": agenda, "latency": latency, "loadavg": load}, indent=2, default=str))
    print(f"written {out}")


if __name__ == "__main__":
    main()
