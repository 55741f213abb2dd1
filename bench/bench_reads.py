#!/usr/bin/env python
"""Read paths through the real code vs hand-written SQL, on the bench database.

    .venv/bin/python bench/bench_reads.py [--runs 200] [--explain]

Each path runs warm, alternating the real code (selectors, access, clock...) and one
hand-written SQL equivalent through the same Django connection; we print median and p95 in
milliseconds and the ratio real / raw. Targets: ratio <= 2 and median <= 50 ms.
With --explain (or when a target is missed) the ORM's queries of that path are run under
EXPLAIN (ANALYZE, BUFFERS) and the slow ones are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH_DIR, db_url, machine_description, median, pct, setup_django  # noqa: E402

TARGET_RATIO = 2.0
TARGET_MS = 50.0


# --------------------------------------------------------------------------------------------
# subjects: who reads what
# --------------------------------------------------------------------------------------------


def pick_subjects(sample: int) -> dict:
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT commune_id, count(*) FROM dossiers_dossier GROUP BY 1 ORDER BY 2 DESC LIMIT 1")
        commune_id, commune_files = c.fetchone()
        c.execute("SELECT m.user_id, o.code FROM accounts_membership m JOIN accounts_organisation o "
                  "ON o.id = m.organisation_id WHERE m.role = 'guichet_agent' AND m.active AND "
                  "(o.commune_id = %s OR o.province_id = (SELECT province_id FROM territory_commune WHERE id = %s)) "
                  "ORDER BY (o.commune_id IS NULL), m.id LIMIT 1", [commune_id, commune_id])
        guichet_id, guichet_org = c.fetchone()
        c.execute("SELECT count(*) FROM dossiers_dossier WHERE commune_id = %s AND status = 'submitted'",
                  [commune_id])
        submitted = c.fetchone()[0]
        # Closed files of that commune with a decision and a commission (what a detail page shows).
        c.execute("SELECT d.id FROM dossiers_dossier d JOIN decisions_decision x ON x.dossier_id = d.id "
                  "WHERE d.commune_id = %s AND d.status IN ('granted', 'refused', 'tacitly_approved') "
                  "ORDER BY md5(d.id::text) LIMIT %s", [commune_id, sample])
        detail_ids = [r[0] for r in c.fetchall()]
        c.execute("SELECT verification_code FROM decisions_decision TABLESAMPLE SYSTEM (1) LIMIT %s", [sample * 4])
        codes = [r[0] for r in c.fetchall()]
        if len(codes) < 10:
            c.execute("SELECT verification_code FROM decisions_decision ORDER BY md5(id::text) LIMIT %s", [sample * 4])
            codes = [r[0] for r in c.fetchall()]
        # Reviewer of the urban agency with the most consultations (the busiest commission seat).
        c.execute("SELECT organisation_id FROM review_consultation c JOIN accounts_organisation o ON o.id = "
                  "c.organisation_id WHERE o.kind = 'urban_agency' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
        agency_id = c.fetchone()[0]
        c.execute("SELECT user_id FROM accounts_membership WHERE organisation_id = %s AND role = 'reviewer' "
                  "ORDER BY id LIMIT 1", [agency_id])
        reviewer_id = c.fetchone()[0]
        c.execute("SELECT applicant_id, count(*) FROM dossiers_dossier GROUP BY 1 ORDER BY 2 DESC LIMIT 1")
        architect_id, architect_files = c.fetchone()
        c.execute("SELECT count(*) FROM dossiers_dossier")
        total = c.fetchone()[0]
    return {"commune_id": commune_id, "commune_files": commune_files, "guichet_id": guichet_id,
            "guichet_org": guichet_org, "submitted_in_commune": submitted, "detail_ids": detail_ids,
            "codes": codes, "reviewer_id": reviewer_id, "architect_id": architect_id,
            "architect_files": architect_files, "total_files": total}


# --------------------------------------------------------------------------------------------
# the paths: real code
# --------------------------------------------------------------------------------------------


def orm_worklist(user):
    from rokhas.dossiers import selectors

    rows = []
    for d in selectors.guichet_worklist(user)[:50]:
        rows.append((d.pk, d.reference, d.title, d.get_status_display(), d.filed_at, d.legal_due_date,
                     d.commune.name, d.procedure_version.procedure.name,
                     d.project_class.name if d.project_class else "", d.applicant.get_full_name(),
                     d.owner.get_full_name()))
    return rows


def orm_detail(user, pk):
    """What the file page / API detail shows, read by the app's own selectors
    (`get_visible` + `file_contents`): the file, its rounds (with return reasons), its
    documents and versions, the commission's consultations and opinions, the decision, the
    timeline, the messages and the legal clock."""
    from rokhas.dossiers import selectors

    d = selectors.get_visible(user, pk)
    f = selectors.file_contents(d)
    rounds = [(r.number, r.submitted_at, r.accepted_at, r.returned_at, [x.label for x in r.return_reasons.all()],
               r.return_message) for r in f.rounds]
    docs = [(doc.document_type.name, [(v.pk, v.number, v.original_name, v.size, v.uploaded_at)
                                      for v in doc.versions.all()]) for doc in f.documents]
    consultations = []
    for c in f.consultations:
        current = c.current_opinion
        consultations.append((c.organisation.name, c.round.number, c.due_date, c.seat.binding,
                              [(o.get_verdict_display(), o.text, o.author.get_full_name(), o.given_at)
                               for o in c.opinions.all()], current.verdict if current else None))
    decision = (f.decision.outcome, f.decision.verification_code, f.decision.decided_at, f.decision.signer_name) \
        if f.decision else None
    timeline = [(e.seq, e.at, e.actor_label, e.action, e.changes, e.data) for e in f.timeline]
    messages = [(m.author.get_full_name(), m.body, m.created_at) for m in f.messages]
    return (d.reference, d.commune.name, d.procedure_version.procedure.name, d.project_class.name,
            d.applicant.get_full_name(), d.owner.get_full_name(), d.declared, rounds, docs, consultations,
            decision, timeline, messages, f.clock.due_date, f.clock.days_left)


def orm_verify(code):
    from rokhas.decisions.services import verify_code

    x = verify_code(code)
    return (x.outcome, x.decided_at, x.signer_name, x.signer_title_fr, x.sha256, x.dossier.reference,
            x.dossier.commune.name, x.dossier.procedure_version.procedure.name) if x else None


def orm_reviewer(user):
    from rokhas.review.selectors import pending_consultations

    return [(c.pk, c.due_date, c.dossier.reference, c.dossier.commune.name, c.organisation.name, c.round.number,
             c.dossier.procedure_version.procedure.name,
             c.current_opinion.verdict if c.current_opinion else None) for c in pending_consultations(user)[:50]]


def orm_my_files(user):
    """The first page of "my files" as the home page reads it (selectors.MyFiles)."""
    from rokhas.dossiers.selectors import MyFiles

    return [(d.pk, d.reference, d.title, d.get_status_display(), d.created_at, d.commune.name,
             d.procedure_version.procedure.name) for d in MyFiles(user)[0:50]]


# --------------------------------------------------------------------------------------------
# suggested changes (NOT the app's code): the same reads written as proposed in bench/README.md,
# measured here so that each suggestion comes with its figure
# --------------------------------------------------------------------------------------------


_CATALOGUE: dict = {}


def catalogue_cache():
    """The catalogue rows a file points at (a handful of ProcedureVersion / Procedure /
    ProjectClass rows, frozen once used): cached per process instead of joined into every query."""
    from rokhas.catalogue.models import ProcedureVersion, ProjectClass

    if not _CATALOGUE:
        _CATALOGUE["version"] = {v.pk: v for v in ProcedureVersion.objects.select_related("procedure")}
        _CATALOGUE["class"] = {c.pk: c for c in ProjectClass.objects.all()}
    return _CATALOGUE


def attach_catalogue(d):
    cache = catalogue_cache()
    d.procedure_version = cache["version"][d.procedure_version_id]
    if d.project_class_id:
        d.project_class = cache["class"][d.project_class_id]
    return d


def suggested_visible_q(user):
    """access.visible_dossiers' rules from ONE membership query, and the reviewer branch as an
    EXISTS (no join on consultations, hence no DISTINCT over ~100 wide columns)."""
    from django.db.models import Exists, OuterRef, Q

    from rokhas.accounts.models import Membership, Organisation
    from rokhas.dossiers.models import Dossier
    from rokhas.review.models import Consultation

    K, R = Organisation.Kind, Membership.Role
    official, orgs = Q(pk__in=[]), []
    for m in Membership.objects.filter(user=user, active=True, organisation__active=True).select_related(
            "organisation"):
        o = m.organisation
        if m.role == R.GUICHET_AGENT:
            if o.kind in (K.COMMUNE, K.ARRONDISSEMENT) and o.commune_id:
                official |= Q(commune_id=o.commune_id)
            elif o.kind == K.PROVINCIAL_COMMITTEE and o.province_id:
                official |= Q(commune__province_id=o.province_id)
        elif m.role in (R.PRESIDENT, R.DELEGATE) and o.commune_id:
            official |= Q(commune_id=o.commune_id)
        elif m.role == R.SUPERVISOR:
            if o.kind == K.MINISTRY and not (o.region_id or o.province_id or o.commune_id):
                official |= Q(pk__isnull=False)
            elif o.commune_id:
                official |= Q(commune_id=o.commune_id)
            elif o.province_id:
                official |= Q(commune__province_id=o.province_id)
            elif o.region_id:
                official |= Q(commune__province__region_id=o.region_id)
        elif m.role == R.REVIEWER:
            orgs.append(o.pk)
    if orgs:
        official |= Exists(Consultation.objects.filter(dossier=OuterRef("pk"), organisation_id__in=orgs))
    return Q(applicant=user) | Q(owner=user) | (official & ~Q(status=Dossier.Status.DRAFT))


def suggested_get_visible(user, pk, with_decision=False):
    """get_visible: one membership query, EXISTS instead of join + DISTINCT, the catalogue from
    the per-process cache (3 joins instead of 6)."""
    from rokhas.dossiers.models import Dossier

    related = ("commune", "applicant", "owner") + (("decision",) if with_decision else ())
    d = (Dossier.objects.select_related(*related).filter(suggested_visible_q(user), pk=pk).order_by()[:1])
    d = next(iter(d), None)
    return attach_catalogue(d) if d else None


def suggested_detail(user, pk):
    """detail: suggested_get_visible (+ decision joined), opinions prefetched with their authors
    (current opinion taken from them), the clock computed from the rounds already fetched."""
    from django.db.models import Prefetch

    from rokhas.dossiers import selectors
    from rokhas.review.models import Consultation, Opinion

    d = suggested_get_visible(user, pk, with_decision=True)
    round_rows = list(d.rounds.prefetch_related("return_reasons").order_by("number"))
    rounds = [(r.number, r.submitted_at, r.accepted_at, r.returned_at, [x.label for x in r.return_reasons.all()],
               r.return_message) for r in round_rows]
    docs = [(doc.document_type.name, [(v.pk, v.number, v.original_name, v.size, v.uploaded_at)
                                      for v in doc.versions.all()]) for doc in selectors.documents_of(d)]
    consultations = []
    for c in (Consultation.objects.filter(dossier=d).select_related("organisation", "round", "seat")
              .prefetch_related(Prefetch("opinions", queryset=Opinion.objects.select_related("author")))
              .order_by("round__number", "organisation__kind")):
        opinions = list(c.opinions.all())
        current = max(opinions, key=lambda o: (o.given_at, o.pk)) if opinions else None
        consultations.append((c.organisation.name, c.round.number, c.due_date, c.seat.binding,
                              [(o.get_verdict_display(), o.text, o.author.get_full_name(), o.given_at)
                               for o in opinions], current.verdict if current else None))
    decision = getattr(d, "decision", None)
    decision = (decision.outcome, decision.verification_code, decision.decided_at, decision.signer_name) \
        if decision else None
    timeline = [(e.seq, e.at, e.actor_label, e.action, e.changes, e.data) for e in selectors.timeline(d)]
    messages = [(m.author.get_full_name(), m.body, m.created_at)
                for m in d.messages.select_related("author").order_by("created_at")]
    due, left = clock_from_rounds(d, round_rows)
    return (d.reference, d.commune.name, d.procedure_version.procedure.name, d.project_class.name,
            d.applicant.get_full_name(), d.owner.get_full_name(), d.declared, rounds, docs, consultations,
            decision, timeline, messages, due, left)


def clock_from_rounds(d, rounds):
    """What rokhas.dossiers.clock.compute does, from rounds already in memory (the suggestion:
    let compute() accept them instead of querying dossier.rounds again)."""
    from django.utils import timezone

    from rokhas.dossiers.clock import _skipper
    from rokhas.workdays.calendar import add_days, count_days

    cls = d.project_class
    gaps = []
    if d.procedure_version.complement_suspends_clock:
        for cur, nxt in zip(rounds, rounds[1:] + [None], strict=True):
            if cur.returned_at:
                gaps.append((timezone.localdate(cur.returned_at), timezone.localdate(nxt.submitted_at) if nxt else None))
    skip = _skipper(gaps)
    due = add_days(timezone.localdate(d.filed_at), cls.total_days, cls.day_kind, skip=skip)
    today = timezone.localdate()
    if d.status not in ("submitted", "returned", "in_review"):
        return due, None
    left = count_days(today, due, cls.day_kind, skip=skip) if today <= due else -count_days(due, today, cls.day_kind,
                                                                                             skip=skip)
    return due, left


VERIFY_ONLY = ("outcome", "decided_at", "signer_name", "signer_title_fr", "signer_title_ar", "sha256",
               "verification_code", "dossier__reference", "dossier__title", "dossier__procedure_version_id",
               "dossier__project_class_id", "dossier__commune__name_fr", "dossier__commune__name_ar")


def suggested_verify(code):
    """verify_code: .only() what the page shows, catalogue from the per-process cache."""
    from rokhas.decisions.models import Decision
    from rokhas.decisions.services import normalise_code

    x = (Decision.objects.select_related("dossier", "dossier__commune").only(*VERIFY_ONLY)
         .filter(verification_code=normalise_code(code)).order_by()[:1])
    x = next(iter(x), None)
    if x is None:
        return None
    attach_catalogue(x.dossier)
    return (x.outcome, x.decided_at, x.signer_name, x.signer_title_fr, x.sha256, x.dossier.reference,
            x.dossier.commune.name, x.dossier.procedure_version.procedure.name)


def suggested_my_dossiers(user, limit=50, offset=0):
    """my_dossiers as the union of two index-ordered scans, (applicant_id, -created_at) and
    (owner_id, -created_at), each cut at offset+limit, instead of one OR (which sorts every
    file of a busy architect); commune joined, catalogue from the per-process cache."""
    from rokhas.dossiers.models import Dossier

    n = offset + limit
    mine = Dossier.objects.order_by("-created_at", "-pk").values("pk")
    ids = mine.filter(applicant=user)[:n].union(mine.filter(owner=user).exclude(applicant=user)[:n])
    page = (Dossier.objects.filter(pk__in=ids).select_related("commune")
            .order_by("-created_at", "-pk"))[offset:offset + limit]
    return [attach_catalogue(d) for d in page]


def suggested_my_files(user):
    """my files: union of two index-ordered scans, commune joined, catalogue cached."""
    return [(d.pk, d.reference, d.title, d.get_status_display(), d.created_at, d.commune.name,
             d.procedure_version.procedure.name) for d in suggested_my_dossiers(user)]


# --------------------------------------------------------------------------------------------
# the same data, hand-written SQL (same connection)
# --------------------------------------------------------------------------------------------

RAW_WORKLIST = """
SELECT d.id, d.reference, d.title, d.status, d.filed_at, d.legal_due_date, c.name_fr, p.name_fr, pc.name_fr,
       a.first_name, a.last_name, o.first_name, o.last_name
FROM dossiers_dossier d
JOIN territory_commune c ON c.id = d.commune_id
JOIN catalogue_procedureversion pv ON pv.id = d.procedure_version_id
JOIN catalogue_procedure p ON p.id = pv.procedure_id
LEFT JOIN catalogue_projectclass pc ON pc.id = d.project_class_id
JOIN accounts_user a ON a.id = d.applicant_id
JOIN accounts_user o ON o.id = d.owner_id
WHERE d.status = 'submitted' AND d.commune_id IN (
   SELECT g.commune_id FROM accounts_membership m JOIN accounts_organisation g ON g.id = m.organisation_id
   WHERE m.user_id = %(u)s AND m.active AND g.active AND m.role = 'guichet_agent'
     AND g.kind IN ('commune', 'arrondissement')
   UNION
   SELECT c2.id FROM accounts_membership m JOIN accounts_organisation g ON g.id = m.organisation_id
   JOIN territory_commune c2 ON c2.province_id = g.province_id
   WHERE m.user_id = %(u)s AND m.active AND g.active AND m.role = 'guichet_agent'
     AND g.kind = 'provincial_committee')
ORDER BY d.legal_due_date, d.filed_at, d.id
LIMIT 50
"""

RAW_DETAIL = [
    # the file, if this user may see it (party, or guichet/president/supervisor scope, or consulted)
    """
SELECT d.id, d.reference, d.status, d.filed_at, d.declared, c.name_fr, p.name_fr, pc.name_fr, pc.total_days,
       pc.day_kind, pv.complement_suspends_clock, a.first_name, a.last_name, o.first_name, o.last_name,
       x.outcome, x.verification_code, x.decided_at, x.signer_name
FROM dossiers_dossier d
JOIN territory_commune c ON c.id = d.commune_id
JOIN catalogue_procedureversion pv ON pv.id = d.procedure_version_id
JOIN catalogue_procedure p ON p.id = pv.procedure_id
LEFT JOIN catalogue_projectclass pc ON pc.id = d.project_class_id
JOIN accounts_user a ON a.id = d.applicant_id
JOIN accounts_user o ON o.id = d.owner_id
LEFT JOIN decisions_decision x ON x.dossier_id = d.id
WHERE d.id = %(d)s AND (d.applicant_id = %(u)s OR d.owner_id = %(u)s OR (d.status <> 'draft' AND EXISTS (
    SELECT 1 FROM accounts_membership m JOIN accounts_organisation g ON g.id = m.organisation_id
    WHERE m.user_id = %(u)s AND m.active AND g.active AND (
         (m.role IN ('guichet_agent', 'president', 'delegate', 'supervisor') AND g.commune_id = d.commune_id)
      OR (m.role IN ('guichet_agent', 'supervisor') AND g.province_id = c.province_id AND g.commune_id IS NULL)
      OR (m.role = 'reviewer' AND EXISTS (SELECT 1 FROM review_consultation k
                                         WHERE k.dossier_id = d.id AND k.organisation_id = g.id))))))
""",
    """
SELECT r.number, r.submitted_at, r.accepted_at, r.returned_at, r.return_message,
       array(SELECT rr.label_fr FROM dossiers_round_return_reasons t JOIN catalogue_returnreason rr
             ON rr.id = t.returnreason_id WHERE t.round_id = r.id ORDER BY rr.code)
FROM dossiers_round r WHERE r.dossier_id = %(d)s ORDER BY r.number
""",
    """
SELECT t.name_fr, v.id, v.number, v.original_name, v.size, v.uploaded_at
FROM documents_document doc JOIN catalogue_documenttype t ON t.id = doc.document_type_id
JOIN documents_documentversion v ON v.document_id = doc.id
WHERE doc.dossier_id = %(d)s ORDER BY t.code, v.number DESC
""",
    """
SELECT k.id, g.name_fr, r.number, k.due_date, s.binding, op.verdict, op.text, u.first_name, u.last_name, op.given_at
FROM review_consultation k JOIN accounts_organisation g ON g.id = k.organisation_id
JOIN dossiers_round r ON r.id = k.round_id JOIN catalogue_commissionseat s ON s.id = k.seat_id
LEFT JOIN review_opinion op ON op.consultation_id = k.id LEFT JOIN accounts_user u ON u.id = op.author_id
WHERE k.dossier_id = %(d)s ORDER BY r.number, g.kind, op.given_at, op.id
""",
    """
SELECT seq, at, actor_label, action, changes, data FROM audit_auditentry
WHERE dossier_id = %(d)s AND action = ANY(%(actions)s) ORDER BY seq
""",
    """
SELECT u.first_name, u.last_name, m.body, m.created_at FROM dossiers_message m
JOIN accounts_user u ON u.id = m.author_id WHERE m.dossier_id = %(d)s ORDER BY m.created_at
""",
]

RAW_VERIFY = """
SELECT x.outcome, x.decided_at, x.signer_name, x.signer_title_fr, x.sha256, d.reference, c.name_fr, p.name_fr
FROM decisions_decision x JOIN dossiers_dossier d ON d.id = x.dossier_id
JOIN territory_commune c ON c.id = d.commune_id
JOIN catalogue_procedureversion pv ON pv.id = d.procedure_version_id
JOIN catalogue_procedure p ON p.id = pv.procedure_id
WHERE x.verification_code = %(code)s
"""

RAW_REVIEWER = """
SELECT k.id, k.due_date, d.reference, c.name_fr, g.name_fr, r.number, p.name_fr, op.verdict
FROM review_consultation k JOIN dossiers_dossier d ON d.id = k.dossier_id
JOIN territory_commune c ON c.id = d.commune_id JOIN accounts_organisation g ON g.id = k.organisation_id
JOIN dossiers_round r ON r.id = k.round_id
JOIN catalogue_procedureversion pv ON pv.id = d.procedure_version_id JOIN catalogue_procedure p ON p.id = pv.procedure_id
LEFT JOIN LATERAL (SELECT o.verdict FROM review_opinion o WHERE o.consultation_id = k.id
                   ORDER BY o.given_at DESC, o.id DESC LIMIT 1) op ON TRUE
WHERE k.open AND d.status = 'in_review' AND k.organisation_id IN (
    SELECT m.organisation_id FROM accounts_membership m JOIN accounts_organisation g2 ON g2.id = m.organisation_id
    WHERE m.user_id = %(u)s AND m.active AND g2.active AND m.role = 'reviewer')
ORDER BY k.due_date, k.dossier_id LIMIT 50
"""

RAW_MY_FILES = """
SELECT d.id, d.reference, d.title, d.status, d.created_at, c.name_fr, p.name_fr
FROM dossiers_dossier d JOIN territory_commune c ON c.id = d.commune_id
JOIN catalogue_procedureversion pv ON pv.id = d.procedure_version_id JOIN catalogue_procedure p ON p.id = pv.procedure_id
WHERE d.applicant_id = %(u)s OR d.owner_id = %(u)s
ORDER BY d.created_at DESC LIMIT 50
"""


def raw(sql, params):
    from django.db import connection

    with connection.cursor() as c:
        c.execute(sql, params)
        return c.fetchall()


def raw_detail(user_id, pk):
    from rokhas.dossiers.selectors import TIMELINE_ACTIONS
    from rokhas.workdays.calendar import add_days, count_days

    params = {"d": pk, "u": user_id, "actions": list(TIMELINE_ACTIONS)}
    head = raw(RAW_DETAIL[0], params)
    if not head:
        return None
    rest = [raw(sql, params) for sql in RAW_DETAIL[1:]]
    # The same legal clock, from the rounds just fetched (what clock.compute does).
    row, rounds = head[0], rest[0]
    from django.utils import timezone

    started = timezone.localdate(row[3])
    gaps = []
    if row[10]:
        for cur, nxt in zip(rounds, rounds[1:] + [None], strict=True):
            if cur[3]:
                gaps.append((timezone.localdate(cur[3]), timezone.localdate(nxt[1]) if nxt else None))

    def skip(day):
        return any(s < day and (e is None or day <= e) for s, e in gaps)

    due = add_days(started, row[8], row[9], skip=skip)
    today = timezone.localdate()
    left = None  # as the page: days are counted only while the file is open
    if row[2] in ("submitted", "returned", "in_review"):
        left = count_days(today, due, row[9], skip=skip) if today <= due else -count_days(due, today, row[9],
                                                                                            skip=skip)
    return head, rest, due, left


# --------------------------------------------------------------------------------------------
# timing
# --------------------------------------------------------------------------------------------


def timed(fn, args_list, runs, warmup):
    """Median / p95 in ms of fn(*args) over `runs` calls, rotating over args_list."""
    for i in range(warmup):
        fn(*args_list[i % len(args_list)])
    out = []
    for i in range(runs):
        a = args_list[i % len(args_list)]
        t0 = time.perf_counter()
        fn(*a)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def interleaved(orm, raw_fn, orm_args, raw_args, runs, warmup):
    """Alternate the two in small blocks so that both see the same machine state."""
    o, r = [], []
    timed(orm, orm_args, warmup, 0)
    timed(raw_fn, raw_args, warmup, 0)
    block = 10
    for start in range(0, runs, block):
        n = min(block, runs - start)
        o += timed(orm, orm_args[start % len(orm_args):] + orm_args, n, 0)
        r += timed(raw_fn, raw_args[start % len(raw_args):] + raw_args, n, 0)
    return o, r


def count_queries(fn, args):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn(*args)
    return [q["sql"] for q in ctx.captured_queries]


def explain(queries: list[str], limit_ms: float = 1.0) -> list[tuple[float, str, str]]:
    """EXPLAIN ANALYZE each query; return (ms, sql, plan) for those slower than limit_ms."""
    from django.db import connection

    out = []
    for sql in queries:
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as c:
            c.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(r[0] for r in c.fetchall())
        ms = 0.0
        for line in plan.splitlines():
            if "Execution Time" in line:
                ms = float(line.split(":")[1].split()[0])
        if ms >= limit_ms:
            out.append((ms, sql, plan))
    return sorted(out, reverse=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db-url", default=None)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--sample", type=int, default=50, help="files / codes rotated over")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the ORM queries of every path")
    parser.add_argument("--no-suggestions", dest="suggestions", action="store_false",
                        help="skip timing the suggested rewrites")
    parser.add_argument("--json", default=None, help="write the results here (default bench/results/reads.json)")
    args = parser.parse_args(argv)
    url = db_url(args.db_url)
    setup_django(url)

    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    from rokhas.accounts.models import User

    translation.activate("fr")
    s = pick_subjects(args.sample)
    guichet = User.objects.get(pk=s["guichet_id"])
    reviewer = User.objects.get(pk=s["reviewer_id"])
    architect = User.objects.get(pk=s["architect_id"])
    print(f"bench database: {s['total_files']} files; largest commune id {s['commune_id']} "
          f"({s['commune_files']} files, {s['submitted_in_commune']} awaiting the guichet), "
          f"guichet agent #{s['guichet_id']} of {s['guichet_org']}; busiest architect: {s['architect_files']} files")
    detail_args = [(guichet, pk) for pk in s["detail_ids"]]
    raw_detail_args = [(guichet.pk, pk) for pk in s["detail_ids"]]
    codes = s["codes"]
    paths = [
        ("(a) guichet worklist [:50], largest commune", orm_worklist, [(guichet,)],
         lambda uid: raw(RAW_WORKLIST, {"u": uid}), [(guichet.pk,)]),
        ("(b) file detail (file, rounds, documents, opinions, decision, timeline, messages, clock)",
         orm_detail, detail_args, raw_detail, raw_detail_args),
        ("(c) verify_code(code)", orm_verify, [(c,) for c in codes],
         lambda code: raw(RAW_VERIFY, {"code": code}), [(c,) for c in codes]),
        ("(d) reviewer worklist [:50], busiest urban agency", orm_reviewer, [(reviewer,)],
         lambda uid: raw(RAW_REVIEWER, {"u": uid}), [(reviewer.pk,)]),
        ("(e) my files [:50], busiest architect", orm_my_files, [(architect,)],
         lambda uid: raw(RAW_MY_FILES, {"u": uid}), [(architect.pk,)]),
    ]
    # Same answers? (a cheap guard against comparing different work)
    assert len(orm_worklist(guichet)) == len(raw(RAW_WORKLIST, {"u": guichet.pk}))
    assert len(orm_reviewer(reviewer)) == len(raw(RAW_REVIEWER, {"u": reviewer.pk}))
    d0 = orm_detail(guichet, s["detail_ids"][0])
    r0 = raw_detail(guichet.pk, s["detail_ids"][0])
    assert len(d0[11]) == len(r0[1][3]) and d0[13] == r0[2], "detail: ORM and raw disagree"

    results = []
    for name, orm, oargs, raw_fn, rargs in paths:
        o, r = interleaved(orm, raw_fn, oargs, rargs, args.runs, args.warmup)
        queries = count_queries(orm, oargs[0])
        res = {"path": name, "orm_median_ms": median(o), "orm_p95_ms": pct(o, 95), "raw_median_ms": median(r),
               "raw_p95_ms": pct(r, 95), "ratio": median(o) / median(r), "orm_queries": len(queries),
               "raw_queries": len(RAW_DETAIL) if orm is orm_detail else 1}
        res["ok"] = res["ratio"] <= TARGET_RATIO and res["orm_median_ms"] <= TARGET_MS
        results.append(res)
        if args.explain or not res["ok"]:
            res["slow_queries"] = [{"ms": ms, "sql": sql, "plan": plan} for ms, sql, plan in explain(queries)[:3]]

    suggestions = []
    if args.suggestions:
        assert [r[0] for r in suggested_my_files(architect)] == [r[0] for r in orm_my_files(architect)]
        assert suggested_verify(codes[0]) == orm_verify(codes[0])
        assert suggested_detail(guichet, s["detail_ids"][0]) == orm_detail(guichet, s["detail_ids"][0])
        for tag, fn, fargs in (("(b)", suggested_detail, detail_args), ("(c)", suggested_verify, [(c,) for c in codes]),
                               ("(e)", suggested_my_files, [(architect,)])):
            raw_row = next(x for x in results if x["path"].startswith(tag))
            o = timed(fn, fargs, args.runs, args.warmup)
            row = {"path": f"{tag}* {fn.__doc__.strip().splitlines()[0] if fn.__doc__ else fn.__name__}"[:88],
                   "orm_median_ms": median(o), "orm_p95_ms": pct(o, 95), "raw_median_ms": raw_row["raw_median_ms"],
                   "raw_p95_ms": raw_row["raw_p95_ms"], "ratio": median(o) / raw_row["raw_median_ms"],
                   "orm_queries": len(count_queries(fn, fargs[0])), "raw_queries": raw_row["raw_queries"]}
            row["ok"] = row["ratio"] <= TARGET_RATIO and row["orm_median_ms"] <= TARGET_MS
            suggestions.append(row)

    # Full HTTP paths (Django's test Client: middleware, view, template/serializer), if present.
    raw_of = {x["path"][:3]: x for x in results}
    https = []
    with translation.override("fr"):
        candidates = [
            ("(b')", "GET /api/v1/dossiers/<id>/ (API detail, test Client)", "api:dossier-detail",
             lambda a: {"pk": a}, s["detail_ids"], raw_of["(b)"]),
            ("(b'')", "GET /fr/files/<id>/ (web detail page, test Client)", "web:dossier",
             lambda a: {"pk": a}, s["detail_ids"], raw_of["(b)"]),
            ("(c')", "GET /fr/verify/<code>/ (public page, test Client)", "verify-code",
             lambda a: {"code": a}, codes, raw_of["(c)"]),
        ]
        for tag, label, name, kw, subjects, raw_row in candidates:
            try:
                reverse(name, kwargs=kw(subjects[0]))
            except (NoReverseMatch, ImportError, Exception) as exc:  # noqa: BLE001 - layer may be missing
                https.append({"path": f"{tag} {label}", "skipped": f"{exc.__class__.__name__}: {exc}"[:200]})
                continue
            client = Client()
            if not name.startswith("verify"):
                client.force_login(guichet)

            def get(subject, name=name, kw=kw, client=client):
                with translation.override("fr"):
                    resp = client.get(reverse(name, kwargs=kw(subject)), HTTP_ACCEPT_LANGUAGE="fr")
                if resp.status_code != 200:
                    raise RuntimeError(f"{resp.status_code}: {resp.content[:300]!r}")
                return resp

            try:
                get(subjects[0])
            except Exception as exc:  # noqa: BLE001 - report, do not stop the other paths
                https.append({"path": f"{tag} {label}", "skipped": f"{exc.__class__.__name__}: {exc}"[:200]})
                continue
            o = timed(get, [(x,) for x in subjects], args.runs, args.warmup)
            row = {"path": f"{tag} {label}", "orm_median_ms": median(o), "orm_p95_ms": pct(o, 95),
                   "raw_median_ms": raw_row["raw_median_ms"], "ratio": median(o) / raw_row["raw_median_ms"],
                   "orm_queries": len(count_queries(get, (subjects[0],))), "raw_queries": raw_row["raw_queries"]}
            row["ok"] = row["orm_median_ms"] <= TARGET_MS  # the 2x target is for the data access itself
            https.append(row)

    # ---- report
    rows = results + https
    print()
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"{'path':<88} {'real med':>9} {'p95':>8} {'raw med':>8} {'raw p95':>8} {'ratio':>6} {'queries':>8}")
    for x in rows:
        if "skipped" in x:
            print(f"{x['path']:<88} skipped: {x['skipped']}")
            continue
        rp95 = x.get("raw_p95_ms")
        rp95 = f"{rp95:8.2f}" if rp95 is not None else f"{'':>8}"
        flag = "" if x["ok"] else "  <-- MISSED"
        print(f"{x['path']:<88} {x['orm_median_ms']:9.2f} {x['orm_p95_ms']:8.2f} {x['raw_median_ms']:8.2f} "
              f"{rp95} {x['ratio']:6.2f} {x['orm_queries']:>3} / {x['raw_queries']:<2}{flag}")
    print(f"(ms, warm, {args.runs} runs each; targets: ratio <= {TARGET_RATIO}, real median <= {TARGET_MS} ms; "
          "queries = real code / hand-written)")
    if suggestions:
        print("\nsuggested changes (bench/bench_reads.py suggested_*, not the app's code), same raw baselines:")
        for x in suggestions:
            flag = "" if x["ok"] else "  <-- still missed"
            print(f"{x['path']:<88} {x['orm_median_ms']:9.2f} {x['orm_p95_ms']:8.2f} {x['raw_median_ms']:8.2f} "
                  f"{x['raw_p95_ms']:8.2f} {x['ratio']:6.2f} {x['orm_queries']:>3} / {x['raw_queries']:<2}{flag}")
    for x in results:
        for q in x.get("slow_queries", []):
            print(f"\n-- {x['path']}: {q['ms']:.2f} ms\n{q['sql']}\n{q['plan']}")
    out = Path(args.json) if args.json else BENCH_DIR / "results" / "reads.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"date": dt.datetime.now().isoformat(timespec="seconds"), "subjects": {
        k: v for k, v in s.items() if k not in ("detail_ids", "codes")}, "runs": args.runs, "results": rows, "suggestions": suggestions,
        "machine": machine_description(url), "server": connection.pg_version}, indent=2, default=str))
    print(f"\nresults written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
