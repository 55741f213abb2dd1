#!/usr/bin/env python
"""Submission throughput under concurrency: gunicorn + PostgreSQL, real API vs a bare view.

    .venv/bin/python bench/bench_submit.py [--workers 3] [--concurrency 8] [--drafts 600]

1. prepares ready drafts on the bench database through the real services (create_draft,
   update_draft, attach_document with real PDFs), spread over the busiest communes and 50
   architects;
2. starts gunicorn on 127.0.0.1 (random free port) with bench.bench_settings (the app's
   settings + /bench/bare/);
3. fires concurrent requests from threads (http.client, new connection per request as
   gunicorn's sync workers close them), bounded in count and time:
   - baseline: GET /bench/bare/ (one trivial query through the whole middleware stack);
   - POST /api/v1/dossiers/{id}/submit/ with an Idempotency-Key, authenticated with an API
     token (``Authorization: Token``) and with HTTP Basic (the password hashed with Argon2 on
     every request); if the API is missing, a bench-only view calling
     rokhas.dossiers.services.submit (reported);
4. checks the files were really filed (distinct references) and that the audit chain
   written under concurrency is intact from the first new entry on.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import http.client
import io
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH_DIR, PYTHON, ROOT, check_local, db_url, machine_description, median, migrate, pct  # noqa: E402

HOST = "127.0.0.1"
SETTINGS = "bench.bench_settings"
PETIT = {"nature": "new", "use": "individual_housing", "land_title": "TF 12345/63", "address": "Lot 12, Bir Rami",
         "land_area_m2": "200", "floor_area_m2": "320", "levels": "2", "description": "Villa R+1"}
GRAND = {**PETIT, "use": "collective_housing", "floor_area_m2": "2400", "levels": "5"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def make_pdf(text: str) -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.docinfo["/Title"] = text
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def prepare_drafts(count: int, tag: str) -> tuple[list[tuple[int, int]], list]:
    """`count` ready drafts (all documents attached) -> [(dossier id, applicant id)], architects."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from rokhas.accounts.models import User
    from rokhas.catalogue.classification import classify
    from rokhas.catalogue.models import Procedure
    from rokhas.dossiers import services
    from rokhas.territory.models import Commune

    procedure = Procedure.objects.get(code="permis-construire")
    with connection.cursor() as c:
        c.execute("SELECT commune_id FROM dossiers_dossier GROUP BY 1 ORDER BY count(*) DESC LIMIT 20")
        communes = list(Commune.objects.filter(pk__in=[r[0] for r in c.fetchall()]))
    architects = list(User.objects.filter(kind="architect").order_by("id")[:50])
    owners = list(User.objects.filter(kind="citizen").order_by("id")[:200])
    pdfs = {}
    out = []
    for i in range(count):
        architect = architects[i % len(architects)]
        d = services.create_draft(actor=architect, commune=communes[i % len(communes)], procedure=procedure,
                                  owner=owners[i % len(owners)], title=f"Bench {tag} #{i}")
        declared = GRAND if i % 5 == 0 else PETIT
        services.update_draft(actor=architect, dossier=d, title=None, declared=declared)
        d.refresh_from_db()
        cls = classify(d.procedure_version, d.declared).project_class
        for r in d.procedure_version.required_documents.select_related("document_type"):
            if r.project_class_id in (None, cls.pk) and r.mandatory:
                code = r.document_type.code
                pdfs.setdefault(code, make_pdf(code))
                services.attach_document(actor=architect, dossier=d, document_type=r.document_type,
                                         uploaded=SimpleUploadedFile(f"{code}.pdf", pdfs[code],
                                                                     content_type="application/pdf"))
        out.append((d.pk, architect.pk))
    return out, architects


class Server:
    def __init__(self, url: str, workers: int, conn_max_age: int, log: Path):
        self.port = free_port()
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": SETTINGS, "PYTHONPATH": str(ROOT),
               "DATABASE_CONN_MAX_AGE": str(conn_max_age), "ROKHAS_VAR_DIR": os.environ["ROKHAS_VAR_DIR"],
               "ROKHAS_LOG_LEVEL": "ERROR"}
        self.log = open(log, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "rokhas.wsgi:application", "--bind", f"{HOST}:{self.port}", "--workers",
             str(workers), "--worker-class", "sync", "--timeout", "60", "--graceful-timeout", "5",
             "--backlog", "256", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.proc.returncode}; see {log}")
            try:
                status, _ = request("GET", self.port, "/bench/bare/")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise SystemExit(f"gunicorn did not answer within 60 s; see {log}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # the master we started; it stops its workers
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.log.close()


def request(method: str, port: int, path: str, headers: dict | None = None, body: bytes | None = None):
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def load(port: int, jobs, concurrency: int, duration: float, max_requests: int) -> dict:
    """Run jobs (a callable returning (method, path, headers, body), or a Queue of them) from
    `concurrency` threads until `duration` seconds, `max_requests` or the queue is empty."""
    lat: list[float] = []
    statuses: dict[int, int] = {}
    errors: list[str] = []
    lock = threading.Lock()
    counter = [0]
    deadline = time.monotonic() + duration

    def worker():
        while time.monotonic() < deadline:
            with lock:
                if counter[0] >= max_requests:
                    return
                counter[0] += 1
            if isinstance(jobs, queue.Queue):
                try:
                    job = jobs.get_nowait()
                except queue.Empty:
                    return
            else:
                job = jobs()
            t0 = time.perf_counter()
            try:
                status, body = request(*job)
            except OSError as exc:
                status, body = 0, str(exc).encode()
            ms = (time.perf_counter() - t0) * 1000
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if 200 <= status < 300:
                    lat.append(ms)
                elif len(errors) < 5:
                    errors.append(f"{status}: {body[:300]!r}")

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=duration + 120)
    elapsed = time.perf_counter() - t0
    ok = len(lat)
    return {"ok": ok, "elapsed_s": elapsed, "rps": ok / elapsed if elapsed else 0.0, "p50_ms": median(lat),
            "p95_ms": pct(lat, 95), "statuses": statuses, "errors": errors}


def check_audit_since(seq0: int) -> str:
    """The entries written during the run chain correctly from the entry before them to the head."""
    from rokhas.audit.models import AuditEntry, AuditHead
    from rokhas.audit.services import entry_digest

    prev = AuditEntry.objects.filter(seq=seq0).values_list("hash", flat=True).first() if seq0 else "0" * 64
    expected, count = seq0 + 1, 0
    for e in AuditEntry.objects.filter(seq__gt=seq0).order_by("seq").iterator(chunk_size=2000):
        digest = entry_digest(prev_hash=e.prev_hash, seq=e.seq, at=e.at.isoformat(), actor_id=e.actor_id,
                              action=e.action, object_type=e.object_type, object_id=e.object_id,
                              dossier_id=e.dossier_id, changes=e.changes, data=e.data)
        if e.seq != expected or e.prev_hash != prev or digest != e.hash:
            return f"BROKEN at seq {e.seq}"
        prev, expected, count = e.hash, expected + 1, count + 1
    head = AuditHead.objects.get(pk=1)
    if head.seq != expected - 1 or head.hash != prev:
        return "BROKEN: head does not match"
    return f"intact ({count} new entries checked, head seq {head.seq})"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db-url", default=None)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (2-4 on 2 cores)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per phase (upper bound)")
    parser.add_argument("--drafts", type=int, default=600, help="drafts prepared per authentication mode")
    parser.add_argument("--auth", default="token,basic", help="comma list of token, basic")
    parser.add_argument("--conn-max-age", type=int, default=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
                        help="DATABASE_CONN_MAX_AGE for gunicorn (default: the app's default, 0)")
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)
    url = db_url(args.db_url)
    check_local(url)
    modes = [m.strip() for m in args.auth.split(",") if m.strip()]
    os.environ.setdefault("ROKHAS_VAR_DIR", str(ROOT / "var" / "bench"))
    migrate(url, SETTINGS)
    from common import setup_django

    setup_django(url, SETTINGS)
    from django.db import connection
    from django.urls import Resolver404, resolve

    from bench import bench_urls
    from rokhas.audit.models import AuditHead
    from rokhas.demo.seed import DEMO_PASSWORD
    from rokhas.dossiers.models import Dossier

    try:
        resolve("/api/v1/dossiers/1/submit/")
        submit_path = "/api/v1/dossiers/{id}/submit/"
        endpoint = "real API: POST /api/v1/dossiers/{id}/submit/ (rokhas.api.views.SubmitView)"
    except Resolver404:
        submit_path = "/bench/submit/{id}/"
        endpoint = ("bench-only view /bench/submit/{id}/ calling rokhas.dossiers.services.submit (the API is "
                    f"missing; app URLs: {bench_urls.APP_URLS_ERROR or 'loaded'})")
        modes = [m for m in modes if m != "token"] or ["basic"]

    print(f"preparing {args.drafts} ready drafts x {len(modes)} mode(s) through the real services...", flush=True)
    t0 = time.perf_counter()
    drafts = {}
    for mode in modes:
        drafts[mode], architects = prepare_drafts(args.drafts, f"{mode}-{int(time.time())}")
    prep_s = time.perf_counter() - t0
    print(f"  {args.drafts * len(modes)} drafts in {prep_s:.1f} s "
          f"({prep_s / (args.drafts * len(modes)) * 1000:.0f} ms each: create, edit, 5-8 PDF uploads)", flush=True)
    from rest_framework.authtoken.models import Token

    tokens = {a.pk: Token.objects.get_or_create(user=a)[0].key for a in architects}
    usernames = {a.pk: a.username for a in architects}
    seq0 = AuditHead.objects.get(pk=1).seq
    connection.close()

    log = BENCH_DIR / "results" / "gunicorn.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    server = Server(url, args.workers, args.conn_max_age, log)
    results = {}
    try:
        port = server.port
        bare = ("GET", port, "/bench/bare/", {}, None)
        bare_job = lambda: bare  # noqa: E731
        print(f"gunicorn: {args.workers} sync workers on {HOST}:{port}; client: {args.concurrency} threads; "
              f"CONN_MAX_AGE={args.conn_max_age}", flush=True)
        load(port, lambda: bare, args.concurrency, 3, 10_000)  # warm the workers
        results["bare_before"] = load(port, bare_job, args.concurrency,
                                      args.duration, 200_000)
        print(f"  bare view:        {results['bare_before']['rps']:8.1f} req/s "
              f"(p50 {results['bare_before']['p50_ms']:.1f} ms)", flush=True)
        for mode in modes:
            q: queue.Queue = queue.Queue()
            for pk, applicant in drafts[mode]:
                if mode == "token":
                    auth = f"Token {tokens[applicant]}"
                else:
                    auth = "Basic " + base64.b64encode(f"{usernames[applicant]}:{DEMO_PASSWORD}".encode()).decode()
                q.put(("POST", port, submit_path.format(id=pk),
                       {"Authorization": auth, "Idempotency-Key": f"bench-{pk}", "Content-Type": "application/json",
                        "Accept": "application/json"}, b""))
            r = load(port, q, args.concurrency, args.duration, args.drafts)
            results[f"submit_{mode}"] = r
            print(f"  submit ({mode:5s}):   {r['rps']:8.1f} req/s (p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms; "
                  f"{r['ok']} filed in {r['elapsed_s']:.1f} s; statuses {r['statuses']})", flush=True)
            for e in r["errors"]:
                print(f"    error {e}")
        results["bare_after"] = load(port, bare_job, args.concurrency,
                                     args.duration, 200_000)
        print(f"  bare view again:  {results['bare_after']['rps']:8.1f} req/s", flush=True)
    finally:
        server.stop()

    bare_rps = (results["bare_before"]["rps"] + results["bare_after"]["rps"]) / 2
    filed_ids = [pk for mode in modes for pk, _ in drafts[mode]]
    filed = Dossier.objects.filter(pk__in=filed_ids, status="submitted")
    refs = list(filed.values_list("reference", flat=True))
    audit = check_audit_since(seq0)
    print()
    print(f"{'path':<58} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'vs bare':>8}")
    print(f"{'GET /bench/bare/ (1 trivial query; mean of before/after)':<58} {bare_rps:8.1f} "
          f"{results['bare_before']['p50_ms']:8.1f} {results['bare_before']['p95_ms']:8.1f} {'100 %':>8}")
    for mode in modes:
        r = results[f"submit_{mode}"]
        ratio = r["rps"] / bare_rps if bare_rps else 0
        flag = "" if ratio >= 0.25 else "  <-- below the 25 % target"
        print(f"{'POST ' + submit_path + ' (' + mode + ' auth)':<58} {r['rps']:8.1f} {r['p50_ms']:8.1f} "
              f"{r['p95_ms']:8.1f} {ratio * 100:7.1f} %{flag}")
    print(f"endpoint: {endpoint}; {len(refs)} files filed, {len(set(refs))} distinct references; audit chain {audit}")
    out = Path(args.json) if args.json else BENCH_DIR / "results" / "submit.json"
    out.write_text(json.dumps({
        "date": dt.datetime.now().isoformat(timespec="seconds"), "endpoint": endpoint, "workers": args.workers,
        "concurrency": args.concurrency, "conn_max_age": args.conn_max_age, "drafts_per_mode": args.drafts,
        "prepare_seconds": prep_s, "results": results, "bare_rps": bare_rps,
        "ratios": {m: results[f"submit_{m}"]["rps"] / bare_rps for m in modes},
        "filed": len(refs), "distinct_references": len(set(refs)), "audit": audit,
        "machine": machine_description(url)}, indent=2, default=str))
    print(f"results written to {out}")
    return 0 if audit.startswith("intact") and len(refs) == len(set(refs)) else 1


if __name__ == "__main__":
    sys.exit(main())
