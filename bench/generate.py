#!/usr/bin/env python
"""Generate realistic national-scale data for the benchmarks, in a dedicated database.

    .venv/bin/python bench/generate.py --files 1000000            # default database rokhas_bench
    .venv/bin/python bench/generate.py --files 20000 --reset      # drop, recreate, regenerate

What it builds (all through the app's own migrations and loaders, then bulk COPY):

* every region, province and commune (``rokhas_load_territory``) and the catalogue
  (``rokhas_load_catalogue``); populations for the communes that have none in the sample file
  are synthesised (bench database only) so that files can be spread by size;
* per commune: its commune organisation (guichet unique when > 50,000 inhabitants, president,
  delegate, reviewer) and local authority; per province: urban agency, civil protection and
  the provincial urbanism committee (the guichet of the small communes); the ministry;
* ~5,000 architects and one citizen owner per ~1.25 files (created as the files need them);
* ``--files`` files filed from 2022-01-01 up to now, chronologically (the file number
  sequence per commune and year follows the filing time), with their whole life simulated:
  drafting, completeness checks and returns for complements (abandoned or resubmitted),
  dispatch to the commission (4 seats for grands projets ~22 %, 3 for petits), opinions,
  signed decision or tacit approval when the legal deadline passes; the files whose life is
  not over at "now" stay open (submitted / returned / in review), abandoned drafts stay drafts;
* the audit chain (~5-6 entries per file, or every event with ``--audit full``): entries are
  staged per batch, then chained in time order with ``rokhas.audit.services.entry_digest``
  and AuditHead is set, so ``manage.py rokhas_verify_audit`` passes.

Resumable: files are generated in batches of ``--batch`` files, each batch committed with its
progress marker in one transaction; re-running continues after the last committed batch (same
``--seed``/``--files``). The audit phase is resumable too. ``--reset`` drops the database.
Nothing the app relies on is disabled (constraints, foreign keys, indexes stay in place).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import math
import os
import queue as queue_mod
import random
import subprocess
import sys
import threading
import time
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PYTHON, ROOT, admin_url, check_local, db_name, db_url, setup_django  # noqa: E402

UTC = dt.UTC
TZ = ZoneInfo("Africa/Casablanca")
START = dt.datetime(2022, 1, 1, tzinfo=TZ)
META_TABLE = "bench_meta"
STAGE_TABLE = "bench_audit_stage"

# --------------------------------------------------------------------------------------------
# text COPY formatting
# --------------------------------------------------------------------------------------------

_jdump = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode
# The canonical form rokhas.audit.services.entry_digest hashes (sort_keys, compact, UTF-8).
canonical = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str, sort_keys=True).encode


def esc(text: str) -> str:
    """COPY text-format escaping (fast path: nothing to escape)."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def jdump(value) -> str:
    return _jdump(value)


def fmt(v) -> str:
    t = type(v)
    if v is None:
        return "\\N"
    if t is str:
        return esc(v)
    if t is int:
        return str(v)
    if t is bool:
        return "t" if v else "f"
    if t is dt.datetime or t is dt.date:
        return v.isoformat()
    if t is dict or t is list or t is tuple:
        return esc(_jdump(v))
    if t is float:
        return repr(v)
    return esc(str(v))


class Table:
    """Rows for one model, in COPY text format. Fields the generator does not give take the
    model's default (or NULL); a new NOT NULL field without default stops the generator."""

    def __init__(self, model, fields: list[str]):
        meta = model._meta
        self.model = model
        self.name = meta.db_table
        concrete = {f.attname: f for f in meta.concrete_fields}
        missing = [a for a in fields if a not in concrete]
        if missing:
            raise RuntimeError(f"bench/generate.py: {model.__name__} has no field(s) {missing}")
        extra = []
        for f in meta.concrete_fields:
            if f.attname in fields:
                continue
            value = f.get_default()  # the default, "" for text fields, else None
            if value is None and not f.null:
                raise RuntimeError(f"bench/generate.py gives no value for {model.__name__}.{f.attname} "
                                   "(NOT NULL, no default): update the generator")
            extra.append((f.column, value))
        self.columns = [concrete[a].column for a in fields] + [c for c, _ in extra]
        self.suffix = "".join("\t" + fmt(v) for _, v in extra)
        self.lines: list[str] = []

    def add(self, *values) -> None:
        self.lines.append("\t".join(map(fmt, values)) + self.suffix)

    def take(self) -> bytes:
        data = ("\n".join(self.lines) + "\n").encode() if self.lines else b""
        self.lines = []
        return data

    def copy_sql(self) -> str:
        cols = ", ".join(f'"{c}"' for c in self.columns)
        return f'COPY "{self.name}" ({cols}) FROM STDIN'


# --------------------------------------------------------------------------------------------
# database set-up
# --------------------------------------------------------------------------------------------


def ensure_database(url: str, reset: bool) -> None:
    import psycopg

    name = db_name(url)
    if not name or name in ("postgres", "template0", "template1"):
        raise SystemExit(f"refusing to use database {name!r} for the bench")
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reset:
            print(f"dropping database {name}", flush=True)
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            print(f"creating database {name}", flush=True)
            conn.execute(f'CREATE DATABASE "{name}"')


def migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "rokhas.settings"}
    t0 = time.perf_counter()
    subprocess.run([PYTHON, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                   check=True, timeout=1800)
    print(f"migrated in {time.perf_counter() - t0:.1f} s", flush=True)


def meta_get(conn, key: str, default=None):
    row = conn.execute(f"SELECT value FROM {META_TABLE} WHERE key = %s", [key]).fetchone()
    return row[0] if row else default


def meta_set(conn, key: str, value) -> None:
    from psycopg.types.json import Jsonb

    conn.execute(f"INSERT INTO {META_TABLE} (key, value) VALUES (%s, %s) "
                 "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [key, Jsonb(value)])


# --------------------------------------------------------------------------------------------
# reference data: territory, catalogue, populations, organisations, officials, architects
# --------------------------------------------------------------------------------------------

FIRST = ["Mohammed", "Fatima", "Ahmed", "Khadija", "Youssef", "Aicha", "Omar", "Meryem", "Hassan", "Salma",
         "Rachid", "Nadia", "Karim", "Samira", "Abdelilah", "Hanane", "Said", "Zineb", "Mustapha", "Laila",
         "Hicham", "Imane", "Driss", "Souad", "Anas", "Kawtar", "Mehdi", "Asmae", "Brahim", "Houda",
         "Abdellah", "Najat", "Younes", "Rim", "Khalid", "Loubna", "Adil", "Sanaa", "Tarik", "Ghizlane"]
LAST = ["Alaoui", "Bennani", "El Idrissi", "Tazi", "Berrada", "Chraibi", "Fassi", "Kettani", "Amrani",
        "Ouazzani", "Benjelloun", "Lahlou", "Sqalli", "Naciri", "El Amrani", "Bouzid", "Lamrani", "Saidi",
        "Benali", "Zouhair", "El Fassi", "Mansouri", "Tahiri", "Haddad", "Cherkaoui", "Belkadi", "Rami",
        "Bakkali", "Ziani", "Jabri", "El Ouafi", "Moussaoui", "Hajji", "Guessous", "Skalli", "Bennis",
        "Raji", "Filali", "Benkirane", "Kadiri"]


def _ascii(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isalnum() and ord(c) < 128).lower()


def synthesise_populations(seed: int) -> int:
    """Communes without a population get a plausible one (bench database only)."""
    from django.core.management import call_command

    from rokhas.territory.models import Commune

    sample = ROOT / "rokhas" / "territory" / "data" / "population-sample.csv"
    call_command("rokhas_import_population", str(sample), verbosity=0)
    rng = random.Random(f"{seed}:population")
    changed = []
    for c in Commune.objects.filter(population__isnull=True).order_by("code"):
        if c.kind == Commune.Kind.ARRONDISSEMENT:
            pop = rng.lognormvariate(math.log(160_000), 0.45)
        elif c.kind == Commune.Kind.URBAN:
            pop = rng.lognormvariate(math.log(45_000), 1.0)
        else:
            pop = rng.lognormvariate(math.log(11_000), 0.5)
        # Capped so that the big towns of the sample file stay the biggest; the large cities
        # (Casablanca, Fès, Marrakech, Rabat, Salé, Tanger) are split into arrondissements.
        cap = 450_000 if c.kind == Commune.Kind.ARRONDISSEMENT else 300_000
        c.population = int(min(max(pop, 1_500), cap))
        c.population_year = 2024
        changed.append(c)
    Commune.objects.bulk_update(changed, ["population", "population_year"], batch_size=1000)
    return len(changed)


def build_reference(seed: int, password_hash: str) -> None:
    """Organisations, officials and architects (idempotent: skipped when already there)."""
    from django.conf import settings
    from django.db import transaction

    from rokhas.accounts.models import Membership, Organisation, User
    from rokhas.territory.models import Commune, Province

    if Organisation.objects.filter(code="ministere-interieur-dgct").exists():
        return
    rng = random.Random(f"{seed}:reference")
    K, R, U = Organisation.Kind, Membership.Role, User.Kind
    threshold = settings.ROKHAS_GUICHET_UNIQUE_POPULATION
    users: list[User] = []
    members: list[tuple[str, str, str, str, str]] = []  # (username, org code, role, title_fr, title_ar)
    used = set()

    def person(prefix: str, kind: str) -> str:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        base = f"{prefix}.{_ascii(first)}.{_ascii(last)}"
        name, n = base, 1
        while name in used:
            n += 1
            name = f"{base}{n}"
        used.add(name)
        users.append(User(username=name, first_name=first, last_name=last, email=f"{name}@bench.rokhas.ma",
                          kind=kind, password=password_hash, date_joined=START.astimezone(UTC),
                          cin=f"{rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}{rng.randrange(100000, 999999)}",
                          preferred_language="ar" if rng.random() < 0.35 else "fr"))
        return name

    orgs: list[Organisation] = []
    provinces = list(Province.objects.order_by("code"))
    for p in provinces:
        orgs.append(Organisation(code=f"agence-urbaine-{p.code}", kind=K.URBAN_AGENCY, province=p,
                                 name_fr=f"Agence urbaine de {p.name_fr}", name_ar=f"الوكالة الحضرية {p.name_ar}",
                                 email=f"agence-urbaine-{p.code}@bench.rokhas.ma"))
        orgs.append(Organisation(code=f"protection-civile-{p.code}", kind=K.CIVIL_PROTECTION, province=p,
                                 name_fr=f"Protection civile — {p.name_fr}",
                                 name_ar=f"الوقاية المدنية — {p.name_ar}",
                                 email=f"protection-civile-{p.code}@bench.rokhas.ma"))
        orgs.append(Organisation(code=f"comite-provincial-{p.code}", kind=K.PROVINCIAL_COMMITTEE, province=p,
                                 name_fr=f"Comité provincial d'urbanisme — {p.name_fr}",
                                 name_ar=f"اللجنة الإقليمية للتعمير — {p.name_ar}",
                                 email=f"comite-provincial-{p.code}@bench.rokhas.ma"))
        for _ in range(3):
            members.append((person(f"au{p.code}", U.OFFICIAL), f"agence-urbaine-{p.code}", R.REVIEWER,
                            "Architecte instructeur", "مهندس معماري مكلف بالدراسة"))
        for _ in range(2):
            members.append((person(f"pc{p.code}", U.OFFICIAL), f"protection-civile-{p.code}", R.REVIEWER,
                            "Officier prévention", "ضابط الوقاية"))
        small = sum(1 for c in p.communes.all() if (c.population or 0) <= threshold)
        for _ in range(2 + min(2, small // 15)):
            members.append((person(f"cp{p.code}", U.OFFICIAL), f"comite-provincial-{p.code}", R.GUICHET_AGENT,
                            "Agent du guichet du comité", "موظف شباك اللجنة"))
    for c in Commune.objects.select_related("province").order_by("code"):
        code = c.code
        orgs.append(Organisation(code=f"commune-{code}", kind=K.COMMUNE, commune=c,
                                 name_fr=f"Commune de {c.name_fr}", name_ar=f"جماعة {c.name_ar}",
                                 email=f"commune-{code}@bench.rokhas.ma"))
        orgs.append(Organisation(code=f"autorite-locale-{code}", kind=K.LOCAL_AUTHORITY, commune=c,
                                 name_fr=f"Autorité locale de {c.name_fr}", name_ar=f"السلطة المحلية {c.name_ar}",
                                 email=f"autorite-locale-{code}@bench.rokhas.ma"))
        pfx = f"c{code.replace('.', '')}"
        members.append((person(pfx, U.OFFICIAL), f"commune-{code}", R.PRESIDENT,
                        "Président du conseil communal", "رئيس المجلس الجماعي"))
        members.append((person(pfx, U.OFFICIAL), f"commune-{code}", R.DELEGATE,
                        "Vice-président délégué à l'urbanisme", "نائب الرئيس المفوض في التعمير"))
        members.append((person(pfx, U.OFFICIAL), f"commune-{code}", R.REVIEWER,
                        "Division de l'urbanisme", "قسم التعمير"))
        members.append((person(f"al{code.replace('.', '')}", U.OFFICIAL), f"autorite-locale-{code}", R.REVIEWER,
                        "Caïd", "قائد"))
        if (c.population or 0) > threshold:
            for _ in range(1 + min(3, (c.population or 0) // 250_000)):
                members.append((person(pfx, U.OFFICIAL), f"commune-{code}", R.GUICHET_AGENT,
                                "Agent du guichet unique", "موظف الشباك الوحيد"))
    orgs.append(Organisation(code="ministere-interieur-dgct", kind=K.MINISTRY, name_fr="Ministère de l'Intérieur — DGCT",
                             name_ar="وزارة الداخلية — المديرية العامة للجماعات الترابية",
                             email="dgct@bench.rokhas.ma"))
    members.append((person("dgct", U.OFFICIAL), "ministere-interieur-dgct", R.SUPERVISOR, "Superviseur", "مشرف"))
    # Architects, by region: their activity is very uneven (a few big practices).
    for i in range(5000):
        person("archi", U.ARCHITECT)
        users[-1].professional_number = f"CNOA-{i:05d}"
    with transaction.atomic():
        Organisation.objects.bulk_create(orgs, batch_size=2000)
        User.objects.bulk_create(users, batch_size=2000)
        by_user = dict(User.objects.values_list("username", "id"))
        by_org = dict(Organisation.objects.values_list("code", "id"))
        Membership.objects.bulk_create(
            [Membership(user_id=by_user[u], organisation_id=by_org[o], role=r, title_fr=tf, title_ar=ta)
             for u, o, r, tf, ta in members], batch_size=2000)
    print(f"reference: {len(orgs)} organisations, {len(users)} officials and architects, "
          f"{len(members)} memberships", flush=True)


# --------------------------------------------------------------------------------------------
# the world the file generator draws from (plain Python data, loaded once)
# --------------------------------------------------------------------------------------------


class World:
    def __init__(self, seed: int):
        from django.conf import settings

        from rokhas.accounts.models import Membership, Organisation, User
        from rokhas.catalogue.models import Procedure, RequiredDocument, ReturnReason
        from rokhas.territory.models import Commune

        self.seed = seed
        procedure = Procedure.objects.get(code="permis-construire")
        self.procedure = procedure
        version = procedure.versions.order_by("-effective_from").first()
        self.version = version
        self.classes = {c.code: c for c in version.classes.all()}
        self.grands, self.petits = self.classes["grands"], self.classes["petits"]
        self.seats = {c.code: list(c.seats.order_by("organisation_kind")) for c in self.classes.values()}
        req = list(RequiredDocument.objects.filter(version=version).select_related("document_type")
                   .order_by("order"))
        self.docs_common = [(r.document_type_id, r.document_type.code, r.mandatory) for r in req
                            if r.project_class_id is None]
        self.docs_class = {code: [(r.document_type_id, r.document_type.code, r.mandatory) for r in req
                                  if r.project_class_id == cls.pk] for code, cls in self.classes.items()}
        self.reasons = list(ReturnReason.objects.order_by("code").values_list("id", "code"))
        threshold = settings.ROKHAS_GUICHET_UNIQUE_POPULATION

        communes = list(Commune.objects.select_related("province").order_by("code"))
        self.communes = {c.pk: c for c in communes}
        self.commune_region = {c.pk: c.province.region_id for c in communes}
        weights = []
        for c in communes:
            factor = 2.2 if c.kind in (Commune.Kind.URBAN, Commune.Kind.ARRONDISSEMENT) else 0.6
            weights.append((c.population or 5000) * factor)
        self.commune_ids = [c.pk for c in communes]
        srng = random.Random(f"{seed}:slowness")  # some town halls decide slowly (tacit approvals)
        self.slowness = {c.pk: srng.lognormvariate(0, 0.8) for c in communes}
        self.commune_cum = _cumulative(weights)

        org_rows = list(Organisation.objects.values_list("id", "code", "kind", "commune_id", "province_id"))
        self.org_code = {oid: code for oid, code, *_ in org_rows}
        self.org_by = {}
        for oid, _code, kind, commune_id, province_id in org_rows:
            self.org_by[(kind, commune_id or province_id)] = oid
        roles: dict[tuple[int, str], list[tuple[int, str, str]]] = {}
        for uid, oid, role, tfr, tar in Membership.objects.values_list("user_id", "organisation_id", "role",
                                                                         "title_fr", "title_ar").order_by("id"):
            roles.setdefault((oid, role), []).append((uid, tfr, tar))
        self.roles = roles
        self.guichet = {}
        for c in communes:
            own = self.org_by[("commune", c.pk)]
            if (c.population or 0) > threshold and roles.get((own, "guichet_agent")):
                self.guichet[c.pk] = [u for u, *_ in roles[(own, "guichet_agent")]]
            else:
                comm = self.org_by[("provincial_committee", c.province_id)]
                self.guichet[c.pk] = [u for u, *_ in roles[(comm, "guichet_agent")]]
        # Architects practise in one region (drawn in proportion to the region's activity), with
        # very uneven activity (a few big practices).
        rng = random.Random(f"{seed}:architects")
        region_weight: dict[int, float] = {}
        for c, w in zip(communes, weights, strict=True):
            region_weight[c.province.region_id] = region_weight.get(c.province.region_id, 0) + w
        regions = sorted(region_weight)
        region_cum = _cumulative([region_weight[r] for r in regions])
        by_region: dict[int, list[tuple[int, float]]] = {r: [] for r in regions}
        for uid in User.objects.filter(kind="architect").order_by("id").values_list("id", flat=True):
            by_region[pick(rng, regions, region_cum)].append((uid, rng.lognormvariate(0, 1.2)))
        self.architects = {r: ([a for a, _ in lst], _cumulative([w for _, w in lst]))
                           for r, lst in by_region.items() if lst}

    def resolve(self, kind: str, commune_id: int) -> int:
        if kind in ("commune", "local_authority"):
            return self.org_by[(kind, commune_id)]
        return self.org_by[(kind, self.communes[commune_id].province_id)]


def _cumulative(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def pick(rng: random.Random, items: list, cum: list[float]):
    return items[min(bisect.bisect_right(cum, rng.random() * cum[-1]), len(items) - 1)]


class Timeline:
    """Filing instants for file indexes 0..N-1: monotone, following growth over the years, the
    week and the hours of the day (Africa/Casablanca)."""

    def __init__(self, n: int, now: dt.datetime):
        self.n = n
        hours, cum, total = [], [], 0.0
        t = START.astimezone(UTC)
        end = now.astimezone(UTC)
        hour_w = [0.03, 0.02, 0.02, 0.02, 0.02, 0.04, 0.1, 0.3, 0.9, 1.0, 1.0, 1.0, 0.9, 0.5, 0.7, 0.9,
                  0.9, 0.8, 0.5, 0.4, 0.35, 0.25, 0.12, 0.06]
        while t < end:
            local = t.astimezone(TZ)
            years = (t - START).days / 365.25
            w = math.exp(0.12 * years) * (1.0 if local.weekday() < 5 else 0.35 if local.weekday() == 5 else 0.15)
            w *= hour_w[local.hour] * (0.7 if local.month == 8 else 1.0)
            hours.append(t)
            total += w
            cum.append(total)
            t += dt.timedelta(hours=1)
        self.hours, self.cum, self.total = hours, cum, total

    def at(self, i: int) -> dt.datetime:
        u = (i + 0.5) / self.n * self.total
        h = bisect.bisect_left(self.cum, u)
        prev = self.cum[h - 1] if h else 0.0
        frac = (u - prev) / (self.cum[h] - prev)
        return self.hours[h] + dt.timedelta(seconds=frac * 3600)


@lru_cache(maxsize=100_000)
def add_days_cached(start: dt.date, n: int, kind: str) -> dt.date:
    from rokhas.workdays.calendar import add_days

    return add_days(start, n, kind)


def local_date(t: dt.datetime) -> dt.date:
    return t.astimezone(TZ).date()


def due_date(started: dt.date, cls, suspensions) -> dt.date:
    """The legal due date, exactly as rokhas.dossiers.clock computes it."""
    if not suspensions:
        if cls.day_kind == "calendar":
            return started + dt.timedelta(days=cls.total_days)
        return add_days_cached(started, cls.total_days, cls.day_kind)
    from rokhas.dossiers.clock import _skipper
    from rokhas.workdays.calendar import add_days

    return add_days(started, cls.total_days, cls.day_kind, skip=_skipper(suspensions))


# --------------------------------------------------------------------------------------------
# one batch of files
# --------------------------------------------------------------------------------------------

TITLES_PETITS = ["Villa R+1", "Maison individuelle R+1", "Extension d'habitation", "Surélévation d'un niveau",
                 "Maison R+2", "Aménagement d'un local commercial", "Habitation économique", "Clôture et annexe"]
TITLES_GRANDS = ["Immeuble R+4", "Résidence R+5", "Unité industrielle", "Centre commercial",
                 "Clinique privée", "École privée", "Hôtel", "Entrepôt logistique", "Immeuble de bureaux R+6"]
STREETS = ["Bir Rami", "Hay Riad", "Hay Salam", "Lotissement Al Amal", "Quartier Industriel", "Hay Nahda",
           "Lotissement Essalam", "Route de Fès", "Hay Mohammadi", "Lotissement Annour"]
RESERVES = ["Respecter le retrait de 5 m sur voie.", "Prévoir un accès pompiers conforme.",
            "Raccordement au réseau d'assainissement à confirmer.", "Hauteur limitée à R+3 selon le plan d'aménagement."]
REFUSALS = ["Non conforme au plan d'aménagement (COS dépassé).", "Avis défavorable conforme de l'agence urbaine.",
            "Terrain situé en zone non aedificandi."]
MESSAGES = ["Bonjour, pouvez-vous me confirmer la réception des pièces complémentaires ?",
            "Le plan topographique corrigé a été déposé.", "Merci de préciser le motif du retour.",
            "Le dossier est en cours d'examen par la commission."]


class State:
    """Counters carried from batch to batch (derived from the database on resume)."""

    def __init__(self, conn):
        def nxt(table):
            return (conn.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"').fetchone()[0])

        self.next = {t: nxt(t) for t in (
            "accounts_user", "dossiers_dossier", "dossiers_round", "dossiers_round_return_reasons",
            "dossiers_message", "documents_document", "documents_documentversion", "review_consultation",
            "review_opinion", "decisions_decision")}
        self.first_citizen = conn.execute(
            "SELECT MIN(id) FROM accounts_user WHERE kind = 'citizen'").fetchone()[0]
        # Who is who, for the audit entries' actor_label (get_full_name() or username).
        self.label = {uid: (f"{first} {last}".strip() or username) for uid, first, last, username in conn.execute(
            "SELECT id, first_name, last_name, username FROM accounts_user")}
        self.seq = {(c, y): s for c, y, s in conn.execute(
            "SELECT commune_id, year, MAX(sequence) FROM dossiers_dossier WHERE sequence IS NOT NULL "
            "GROUP BY 1, 2")}

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


class Batch:
    def __init__(self, world: World, state: State, full_audit: bool):
        from rokhas.accounts.models import User
        from rokhas.catalogue.classification import _matches
        from rokhas.decisions.models import Decision
        from rokhas.documents.models import Document, DocumentVersion
        from rokhas.dossiers.models import Dossier, Message, Round
        from rokhas.review.models import Consultation, Opinion

        self._matches = _matches
        self.w = world
        self.state = state
        self.full_audit = full_audit
        self.users = Table(User, ["id", "password", "username", "first_name", "last_name", "email", "kind", "cin",
                                  "preferred_language", "date_joined", "is_active", "is_staff", "is_superuser"])
        self.dossiers = Table(Dossier, [
            "id", "reference", "year", "sequence", "commune_id", "procedure_version_id", "project_class_id",
            "classification_reasons", "applicant_id", "owner_id", "title", "declared", "status", "created_at",
            "updated_at", "filed_at", "legal_due_date", "closed_at", "submit_token"])
        self.rounds = Table(Round, [
            "id", "dossier_id", "number", "submitted_at", "submitted_by_id", "declared_snapshot",
            "documents_snapshot", "accepted_at", "returned_at", "returned_by_id", "return_message"])
        self.round_reasons = Table(Round.return_reasons.through, ["id", "round_id", "returnreason_id"])
        self.messages = Table(Message, ["id", "dossier_id", "author_id", "body", "created_at"])
        self.documents = Table(Document, ["id", "dossier_id", "document_type_id"])
        self.versions = Table(DocumentVersion, [
            "id", "document_id", "number", "storage_name", "original_name", "content_type", "sha256", "size",
            "pages", "sanitised", "removed", "uploaded_by_id", "uploaded_at"])
        self.consultations = Table(Consultation, ["id", "dossier_id", "round_id", "organisation_id", "seat_id",
                                                  "dispatched_at", "due_date"])
        self.opinions = Table(Opinion, ["id", "consultation_id", "verdict", "text", "author_id", "given_at"])
        self.decisions = Table(Decision, [
            "id", "dossier_id", "outcome", "conditions", "reasons", "decided_by_id", "decided_at",
            "verification_code", "signer_name", "signer_title_fr", "signer_title_ar", "storage_name", "sha256",
            "size"])
        self.stage: list[str] = []
        self.tables = [self.users, self.dossiers, self.rounds, self.round_reasons, self.messages, self.documents,
                       self.versions, self.consultations, self.opinions, self.decisions]
        self.label = state.label
        self.order = 0

    # -- audit staging: one line per entry, see STAGE_COLUMNS; changes and data are kept as the
    # canonical JSON text entry_digest hashes (the chain is computed later, in time order).
    def event(self, at, dossier_id, actor_id, action, changes=None, data=None, object_type="dossiers.dossier",
              object_id=None):
        self.order += 1
        at_iso = at.isoformat()
        self.stage.append("\t".join((
            at_iso, at_iso, str(dossier_id), str(self.order), "\\N" if actor_id is None else str(actor_id),
            esc(self.label.get(actor_id, "system") if actor_id else "system"), action, object_type,
            object_id if object_id is not None else str(dossier_id),
            esc(canonical(changes or {})), esc(canonical(data or {})))))

    def new_citizen(self, state: State, rng: random.Random, when: dt.datetime) -> int:
        uid = state.take("accounts_user")
        first, last = rng.choice(FIRST), rng.choice(LAST)
        username = f"{_ascii(first)}.{_ascii(last)}.{uid}"
        self.users.add(uid, self.w.password_hash, username, first, last, f"{username}@bench.example.ma", "citizen",
                       f"{rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}{rng.randrange(100000, 999999)}",
                       "ar" if rng.random() < 0.4 else "fr", when - dt.timedelta(days=rng.uniform(0, 30)),
                       True, False, False)
        self.label[uid] = f"{first} {last}"
        if state.first_citizen is None:
            state.first_citizen = uid
        return uid

    def declared(self, rng: random.Random, grands: bool) -> tuple[dict, list]:
        cls = self.w.grands
        if grands:
            profile = rng.random()
            use = "collective_housing"
            levels, floor = rng.randint(2, 3), round(rng.uniform(300, 950), 1)
            public_building = receives_public = False
            if profile < 0.45:
                levels = rng.randint(4, 9)
                floor = round(levels * rng.uniform(180, 600), 1)
            elif profile < 0.7:
                floor = round(rng.uniform(1001, 8000), 1)
            elif profile < 0.85:
                use = rng.choice(["industrial", "public"])
                public_building = use == "public"
            else:
                use = "commercial"
                receives_public = True
        else:
            use = rng.choices(["individual_housing", "collective_housing", "commercial"], [70, 18, 12])[0]
            levels = rng.randint(1, 3)
            floor = round(levels * rng.uniform(60, 300), 1)
            public_building = receives_public = False
        data = {
            "nature": rng.choices(["new", "modification", "surelevation"], [70, 20, 10])[0], "use": use,
            "land_title": f"TF {rng.randrange(1000, 99999)}/{rng.randrange(1, 99):02d}",
            "address": f"Lot {rng.randrange(1, 400)}, {rng.choice(STREETS)}",
            "land_area_m2": round(rng.uniform(80, 5000 if grands else 600), 1), "floor_area_m2": floor,
            "levels": levels, "public_building": public_building, "receives_public": receives_public,
            "description": f"Projet {use.replace('_', ' ')} de {levels} niveau(x)",
        }
        reasons = [c for c in cls.criteria if self._matches(c, data)]
        if grands and not reasons:  # keep the class consistent with the data
            data["levels"] = 4
            reasons = [c for c in cls.criteria if self._matches(c, data)]
        return data, reasons

    def add_documents(self, rng, dossier_id, applicant, when, class_code, draft=False) -> dict:
        """Returns {code: [document_id, [(version_id, number, uploaded_at)], type_id]}."""
        docs = {}
        wanted = list(self.w.docs_common) + (list(self.w.docs_class[class_code]) if class_code else [])
        for type_id, code, mandatory in wanted:
            if not mandatory and rng.random() < 0.4:
                continue
            if draft and rng.random() < 0.5:
                continue
            doc_id = self.state.take("documents_document")
            self.documents.add(doc_id, dossier_id, type_id)
            docs[code] = [doc_id, [], type_id]
            self.add_version(rng, dossier_id, docs[code], code, applicant,
                             when - dt.timedelta(minutes=rng.uniform(5, 3 * 24 * 60)))
        return docs

    def add_version(self, rng, dossier_id, doc, code, applicant, at):
        vid = self.state.take("documents_documentversion")
        number = len(doc[1]) + 1
        sha = f"{rng.getrandbits(256):064x}"
        self.versions.add(vid, doc[0], number, f"documents/dossier-{dossier_id}/{sha[:2]}/{sha}.pdf",
                          f"{code}.pdf", "application/pdf", sha, rng.randrange(80_000, 9_000_000),
                          rng.randrange(1, 40), rng.random() < 0.05, [], applicant, at)
        doc[1].append((vid, number, at))
        if self.full_audit:
            self.event(at, dossier_id, applicant, "document.uploaded", data={
                "document_type": code, "version": number, "sha256": sha, "name": f"{code}.pdf", "removed": []})
        return vid

    def file(self, rng: random.Random, index: int, filed_at: dt.datetime, now: dt.datetime):
        state = self.state
        w = self.w
        commune_id = pick(rng, w.commune_ids, w.commune_cum)
        commune = w.communes[commune_id]
        region = w.commune_region[commune_id]
        archi_ids, archi_cum = w.architects[region]
        existing = state.first_citizen is not None and state.next["accounts_user"] > state.first_citizen + 10
        if existing and rng.random() < 0.2:
            owner = rng.randrange(state.first_citizen, state.next["accounts_user"])
        else:
            owner = self.new_citizen(state, rng, filed_at)
        applicant = pick(rng, archi_ids, archi_cum) if rng.random() < 0.92 else owner
        dossier_id = state.take("dossiers_dossier")
        grands = rng.random() < 0.22
        cls = w.grands if grands else w.petits
        declared, reasons = self.declared(rng, grands)
        title = f"{rng.choice(TITLES_GRANDS if grands else TITLES_PETITS)} — {declared['address']}"
        is_draft = rng.random() < 0.025
        created_at = filed_at - dt.timedelta(minutes=max(10.0, rng.expovariate(1 / (4 * 24 * 60))))
        created_at = max(created_at, START.astimezone(UTC))
        self.event(created_at, dossier_id, applicant, "dossier.created", data={
            "commune": commune.code, "procedure": w.procedure.code, "version": w.version.version, "owner": owner})
        if is_draft:
            partial = {k: v for k, v in declared.items() if rng.random() < 0.6}
            self.add_documents(rng, dossier_id, applicant, filed_at, None, draft=True)
            self.dossiers.add(dossier_id, None, None, None, commune_id, w.version.pk, None, [], applicant, owner,
                              title, partial, "draft", created_at, min(filed_at, now), None, None, None, "")
            return

        docs = self.add_documents(rng, dossier_id, applicant, filed_at, cls.code)
        year = local_date(filed_at).year
        key = (commune_id, year)
        sequence = state.seq.get(key, 0) + 1
        state.seq[key] = sequence
        reference = f"{w.procedure.reference_prefix}-{commune.code}-{year}-{sequence:06d}"
        started = local_date(filed_at)
        suspensions: list[list] = []
        guichet = w.guichet[commune_id]
        status = "submitted"
        last_event = filed_at
        closed_at = None
        due = due_date(started, cls, [])
        t = filed_at
        number = 1
        rule = cls.deadline_source_fr
        decided = None
        while True:  # one iteration per round (at most 4)
            round_id = state.take("dossiers_round")
            snapshot = {code: d[1][-1][0] for code, d in docs.items()}
            round_row = [round_id, dossier_id, number, t, applicant, declared, snapshot, None, None, None, ""]
            if number == 1:
                self.event(t, dossier_id, applicant, "dossier.submitted", changes={"status": ["draft", "submitted"]},
                           data={"reference": reference, "round": 1, "project_class": cls.code})
                self.event(t, dossier_id, None, "clock.started", data={"due_date": due, "rule": rule})
            check_at = t + dt.timedelta(minutes=max(20.0, rng.expovariate(1 / (1.3 * 24 * 60))))
            if check_at > now:
                self.rounds.add(*round_row)
                status = "submitted"
                break
            agent = rng.choice(guichet)
            if number <= 3 and rng.random() < (0.2, 0.08, 0.03)[number - 1]:
                round_row[8], round_row[9] = check_at, agent
                codes = rng.sample(w.reasons, rng.choice((1, 1, 2, 3)))
                message = "Merci de compléter le dossier : " + ", ".join(c for _, c in codes) + "."
                round_row[10] = message
                self.rounds.add(*round_row)
                for rid, _code in codes:
                    self.round_reasons.add(state.take("dossiers_round_return_reasons"), round_id, rid)
                self.event(check_at, dossier_id, agent, "dossier.returned",
                           changes={"status": ["submitted", "returned"]},
                           data={"round": number, "reasons": [c for _, c in codes], "message": message})
                self.event(check_at, dossier_id, None, "clock.suspended", data={"round": number})
                suspensions.append([local_date(check_at), None])
                last_event = check_at
                status = "returned"
                if rng.random() < 0.10:
                    break  # abandoned by the applicant
                back = check_at + dt.timedelta(minutes=max(60.0, rng.expovariate(1 / (9 * 24 * 60))))
                if back > now:
                    break
                for code in rng.sample(sorted(docs), min(len(docs), rng.choice((1, 1, 2)))):
                    self.add_version(rng, dossier_id, docs[code], code, applicant,
                                     back - dt.timedelta(minutes=rng.uniform(5, 600)))
                suspensions[-1][1] = local_date(back)
                due = due_date(started, cls, [tuple(s) for s in suspensions])
                number += 1
                t = back
                self.event(t, dossier_id, applicant, "dossier.resubmitted",
                           changes={"status": ["returned", "submitted"]},
                           data={"reference": reference, "round": number, "project_class": cls.code})
                self.event(t, dossier_id, None, "clock.resumed", data={"due_date": due, "rule": rule})
                last_event = t
                status = "submitted"
                continue
            # accepted and dispatched to the commission
            round_row[7] = check_at
            self.rounds.add(*round_row)
            status = "in_review"
            last_event = check_at
            deadline = dt.datetime.combine(due + dt.timedelta(days=1), dt.time(2, 0), tzinfo=TZ).astimezone(UTC)
            consults = []
            for seat in w.seats[cls.code]:
                org = w.resolve(seat.organisation_kind, commune_id)
                cid = state.take("review_consultation")
                cdue = add_days_cached(local_date(check_at), seat.days, seat.day_kind)
                self.consultations.add(cid, dossier_id, round_id, org, seat.pk, check_at, cdue)
                consults.append((cid, org, seat))
                if self.full_audit:
                    self.event(check_at, dossier_id, agent, "dossier.dispatched", data={
                        "organisation": w.org_code[org], "due_date": cdue, "days": seat.days,
                        "day_kind": seat.day_kind})
            self.event(check_at, dossier_id, agent, "dossier.accepted", changes={"status": ["submitted", "in_review"]},
                       data={"round": number})
            # opinions
            planned_opinions = []
            unfavourable_binding = unfavourable = False
            for cid, org, seat in consults:
                at = check_at + dt.timedelta(days=seat.days * 1.4 * rng.betavariate(2, 3.5))
                verdict = rng.choices(["favorable", "favorable_reserves", "defavorable", "ajourne"],
                                      [72, 21, 4, 3])[0]
                planned_opinions.append((at, cid, org, verdict))
                if verdict == "ajourne":
                    later = at + dt.timedelta(days=rng.uniform(1, 4))
                    final = rng.choices(["favorable", "favorable_reserves", "defavorable"], [60, 30, 10])[0]
                    planned_opinions.append((later, cid, org, final))
                    verdict = final
                if verdict == "defavorable":
                    unfavourable = True
                    unfavourable_binding |= seat.binding
            last_opinion = max(at for at, *_ in planned_opinions)
            mean = 1.5 * 24 * 60 * w.slowness[commune_id]
            decide_at = last_opinion + dt.timedelta(minutes=max(30.0, rng.expovariate(1 / mean)))
            tacit = decide_at > deadline
            end = deadline if tacit else decide_at
            for at, cid, org, verdict in sorted(planned_opinions, key=lambda o: o[0]):
                if at > now or at > end:
                    continue
                reviewers = w.roles.get((org, "reviewer")) or [(agent, "", "")]
                author = rng.choice(reviewers)[0]
                text = "" if verdict == "favorable" else rng.choice(
                    REFUSALS if verdict == "defavorable" else RESERVES)
                oid = state.take("review_opinion")
                self.opinions.add(oid, cid, verdict, text, author, at)
                last_event = max(last_event, at)
                if self.full_audit:
                    self.event(at, dossier_id, author, "opinion.given", object_type="review.opinion",
                               object_id=str(oid), data={"organisation": w.org_code[org], "verdict": verdict,
                                                          "text": text, "round": number})
            if end > now:
                break  # still under review
            # decision
            decision_id = state.take("decisions_decision")
            code = "".join(rng.choice("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(10))
            code = f"{code[:5]}-{code[5:]}"
            sha = f"{rng.getrandbits(256):064x}"
            commune_org = w.org_by[("commune", commune_id)]
            if tacit:
                outcome, new_status, actor = "tacit_approval", "tacitly_approved", None
                signer_name = "Rokhas cachet"
                title_fr, title_ar = "Cachet électronique de la plateforme Rokhas", "الختم الإلكتروني لمنصة رخص"
                conditions = reasons_text = ""
                self.event(end, dossier_id, None, "clock.expired", data={
                    "due_date": due, "silence_rule": cls.silence_rule, "rule": rule})
            else:
                refused = unfavourable_binding or (unfavourable and rng.random() < 0.4) or rng.random() < 0.02
                outcome = "refused" if refused else "granted"
                new_status = outcome
                role = "president" if rng.random() < 0.6 else "delegate"
                actor, title_fr, title_ar = (w.roles.get((commune_org, role)) or w.roles[(commune_org, "president")])[0]
                signer_name = self.label[actor]
                conditions = "" if refused else rng.choice(["", "", RESERVES[0], RESERVES[1]])
                reasons_text = rng.choice(REFUSALS) if refused else ""
            self.decisions.add(decision_id, dossier_id, outcome, conditions, reasons_text, actor, end, code,
                               signer_name, title_fr, title_ar, f"decisions/{code}.pdf", sha,
                               rng.randrange(60_000, 400_000))
            self.event(end, dossier_id, actor, "decision.signed", changes={"status": ["in_review", new_status]},
                       object_type="decisions.decision", object_id=str(decision_id),
                       data={"outcome": outcome, "code": code, "sha256": sha, "signer": signer_name,
                             "conditions": conditions, "reasons": reasons_text})
            status, closed_at, decided, last_event = new_status, end, end, end
            break
        if status == "returned":
            legal_due = None  # the clock is suspended (clock.refresh_due_date writes None)
        else:
            legal_due = due
        # messages between the applicant and the administration
        if rng.random() < 0.08:
            horizon = min(now, (decided or last_event) + dt.timedelta(days=5))
            for _ in range(rng.choice((1, 1, 2))):
                at = filed_at + (horizon - filed_at) * rng.random()
                author = applicant if rng.random() < 0.6 else rng.choice(guichet)
                mid = state.take("dossiers_message")
                self.messages.add(mid, dossier_id, author, rng.choice(MESSAGES), at)
                self.event(at, dossier_id, author, "message.posted", data={"message": mid})
                last_event = max(last_event, at)
        self.dossiers.add(dossier_id, reference, year, sequence, commune_id, w.version.pk, cls.pk,
                          [dict(r) for r in reasons], applicant, owner, title, declared, status, created_at,
                          last_event, filed_at, legal_due, closed_at, f"{rng.getrandbits(128):032x}")


STAGE_COLUMNS = "at, at_iso, dossier_id, ord, actor_id, actor_label, action, object_type, object_id, changes, data"


def stage_sql() -> str:
    # Text columns on purpose: the canonical JSON text is hashed as it is (jsonb would reorder keys).
    return (f"CREATE UNLOGGED TABLE IF NOT EXISTS {STAGE_TABLE} (at timestamptz NOT NULL, at_iso text NOT NULL, "
            "dossier_id bigint NOT NULL, ord integer NOT NULL, actor_id bigint, actor_label text NOT NULL, "
            "action text NOT NULL, object_type text NOT NULL, object_id text NOT NULL, changes text NOT NULL, "
            "data text NOT NULL)")


# --------------------------------------------------------------------------------------------
# phases
# --------------------------------------------------------------------------------------------


def _put(queue, item, parent: int) -> None:
    """queue.put that gives up when the parent process is gone (killed, crashed)."""
    import queue as queue_mod

    while True:
        if os.getppid() != parent:
            os._exit(1)
        try:
            queue.put(item, timeout=5)
            return
        except queue_mod.Full:
            continue


def _produce(queue, world: World, state: State, args, now: dt.datetime, first: int, batches: int) -> None:
    """Child process: simulate the files of each batch and hand COPY-ready text to the parent
    (which streams it into PostgreSQL meanwhile: the two cores work in parallel)."""
    parent = os.getppid()
    try:
        n, size = args.files, args.batch
        timeline = Timeline(n, now)
        full = args.audit == "full"
        for b in range(first, batches):
            t0 = time.perf_counter()
            rng = random.Random(f"{args.seed}:batch:{b}")
            batch = Batch(world, state, full)
            for i in range(b * size, min(n, (b + 1) * size)):
                batch.file(rng, i, timeline.at(i).astimezone(UTC), now)
            payload = [(t.copy_sql(), t.take(), t.name) for t in batch.tables]
            stage = ("\n".join(batch.stage) + "\n").encode()
            _put(queue, ("batch", b, payload, stage, len(batch.stage), time.perf_counter() - t0), parent)
        _put(queue, ("end",), parent)
    except BaseException:  # noqa: BLE001 - reported to the parent
        import traceback

        queue.put(("error", traceback.format_exc()))
    finally:
        queue.close()
        queue.join_thread()
        os._exit(0)  # never run the parent's finalisers (its database connections) here


def generate_files(url: str, world: World, args, now: dt.datetime) -> dict:
    import multiprocessing

    import psycopg
    from django.db import connections

    n, size = args.files, args.batch
    batches = math.ceil(n / size)
    with psycopg.connect(url, autocommit=True) as conn:
        done = meta_get(conn, "batches_done", 0)
        if done >= batches:
            print(f"files: all {batches} batches already generated", flush=True)
            return {}
        state = State(conn)
    connections.close_all()  # the child must not share the parent's sockets
    print(f"files: {n} in {batches} batches of {size} (resuming after batch {done})" if done else
          f"files: {n} in {batches} batches of {size}", flush=True)
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue(maxsize=args.writers + 1)
    producer = ctx.Process(target=_produce, args=(queue, world, state, args, now, done, batches), daemon=True)
    producer.start()
    del state
    totals: dict[str, int] = {}
    t_start = time.perf_counter()
    stats = {"gen": 0.0, "copy": 0.0, "wait": 0.0}
    # Several writer connections (PostgreSQL uses one core per connection): each COPYs its batch
    # while the others do; commits stay in batch order (a batch's foreign keys may point at the
    # owners created by the previous one, and the progress marker must only move forward).
    cond = threading.Condition()
    committed = [done - 1]
    failure: list[str] = []
    work: queue_mod.Queue = queue_mod.Queue(maxsize=1)

    def writer():
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("SET synchronous_commit = off")  # this session only; commits stay atomic
                while True:
                    msg = work.get()
                    if msg is None:
                        return
                    _, b, payload, stage, staged_rows, gen_seconds = msg
                    t1 = time.perf_counter()
                    rows = {}
                    with conn.transaction():
                        with conn.cursor() as cur:
                            for sql, data, name in payload:
                                if data:
                                    with cur.copy(sql) as cp:
                                        cp.write(data)
                                    rows[name] = data.count(b"\n")
                            with cur.copy(f"COPY {STAGE_TABLE} ({STAGE_COLUMNS}) FROM STDIN") as cp:
                                cp.write(stage)
                        with cond:  # bounded: the batch before us commits or fails
                            while committed[0] != b - 1 and not failure:
                                cond.wait(timeout=5)
                            if failure:
                                raise RuntimeError("another writer failed")
                        meta_set(conn, "staged", meta_get(conn, "staged", 0) + staged_rows)
                        meta_set(conn, "batches_done", b + 1)
                    t2 = time.perf_counter()
                    with cond:
                        committed[0] = b
                        cond.notify_all()
                        for name, k in rows.items():
                            totals[name] = totals.get(name, 0) + k
                        totals["audit (staged)"] = totals.get("audit (staged)", 0) + staged_rows
                        stats["gen"] += gen_seconds
                        stats["copy"] += t2 - t1
                        elapsed = t2 - t_start
                        files_done = min(n, (b + 1) * size) - done * size
                        domain_rows = sum(v for k, v in totals.items() if not k.startswith("audit"))
                    print(f"  batch {b + 1}/{batches}: {sum(rows.values())} rows + {staged_rows} audit staged "
                          f"(generated in {gen_seconds:.1f} s, copied+committed in {t2 - t1:.1f} s); "
                          f"{files_done / elapsed:.0f} files/s, {domain_rows / elapsed:.0f} rows/s", flush=True)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            with cond:
                failure.append(f"{exc.__class__.__name__}: {exc}")
                cond.notify_all()

    threads = [threading.Thread(target=writer, daemon=True) for _ in range(max(1, args.writers))]
    for t in threads:
        t.start()
    try:
        for _ in range(done, batches + 1):  # bounded: one message per batch, then "end"
            tw = time.perf_counter()
            msg = queue.get(timeout=3600)
            stats["wait"] += time.perf_counter() - tw
            if failure:
                break
            if msg[0] == "end":
                break
            if msg[0] == "error":
                failure.append(f"generator process failed:\n{msg[1]}")
                break
            while not failure:
                try:
                    work.put(msg, timeout=5)
                    break
                except queue_mod.Full:
                    continue
    finally:
        for _ in threads:
            while any(t.is_alive() for t in threads):
                try:
                    work.put(None, timeout=5)
                    break
                except queue_mod.Full:
                    if failure:
                        break
        for t in threads:
            t.join(timeout=600)
        producer.join(timeout=30)
        if producer.is_alive():
            producer.terminate()
    if failure:
        raise SystemExit(f"generation failed (committed batches are kept; run again to resume): {failure[0]}")
    with psycopg.connect(url, autocommit=True) as conn:
        # The counters the app locks when numbering (see dossiers.services._next_number).
        conn.execute("INSERT INTO dossiers_dossiercounter (commune_id, year, last) "
                     "SELECT commune_id, year, MAX(sequence) FROM dossiers_dossier WHERE sequence IS NOT NULL "
                     "GROUP BY 1, 2 ON CONFLICT (commune_id, year) DO UPDATE SET last = EXCLUDED.last")
    print(f"files: {time.perf_counter() - t_start:.1f} s ({stats['gen']:.1f} s generating in the child process, "
          f"{stats['copy']:.1f} s COPY+commit over {len(threads)} writer connection(s), "
          f"{stats['wait']:.1f} s waiting for the generator)", flush=True)
    return totals


def build_audit_chain(url: str, args) -> int:
    """Chain the staged entries in time order (seq follows time) and set AuditHead.

    The staged lines come back already in COPY text format (COPY ... TO STDOUT), the chain
    hash is computed on the canonical JSON exactly as entry_digest does (checked against the
    real function on a sample), and the lines go straight into audit_auditentry."""
    import hashlib

    import psycopg

    from rokhas.audit.services import GENESIS, entry_digest

    with psycopg.connect(url, autocommit=True) as conn:
        if meta_get(conn, "audit_done", False):
            print("audit: chain already built", flush=True)
            return 0
        staged = meta_get(conn, "staged", 0)
        have = conn.execute(f"SELECT count(*) FROM {STAGE_TABLE}").fetchone()[0]
        if have != staged:
            raise SystemExit(f"audit staging lost ({have} rows instead of {staged}; the server restarted?): "
                             "run again with --reset")
        head = conn.execute("SELECT seq, hash FROM audit_audithead WHERE id = 1").fetchone()
        seq, prev = (head[0], head[1]) if head else (0, GENESIS)
        if seq == 0 and conn.execute("SELECT EXISTS (SELECT 1 FROM audit_auditentry)").fetchone()[0]:
            raise SystemExit("audit_auditentry has entries but no head: run again with --reset")
        last_key = meta_get(conn, "audit_last_key")
    seq0 = seq
    from rokhas.audit.models import AuditEntry

    table = Table(AuditEntry, ["id", "seq", "at", "actor_id", "actor_label", "action", "object_type", "object_id",
                               "dossier_id", "changes", "data", "prev_hash", "hash"])
    copy_in = table.copy_sql()
    print(f"audit: chaining {staged - seq0} staged entries (head at seq {seq0})", flush=True)
    t0 = time.perf_counter()
    where, params = "", []
    if last_key:
        where = "WHERE (at, dossier_id, ord) > (%s::timestamptz, %s, %s)"
        params = last_key
    chunk = 250_000
    sha = hashlib.sha256
    checked = 0
    t_flush = 0.0

    def unescape(field: str) -> str:
        # COPY escapes; canonical JSON never holds a raw tab/newline, only backslashes.
        return field.replace("\\\\", "\\") if "\\" in field else field

    with psycopg.connect(url, autocommit=True) as reader, psycopg.connect(url, autocommit=True) as writer:
        writer.execute("SET synchronous_commit = off")
        reader.execute("SET work_mem = '512MB'")
        out: list[str] = []
        key = None
        with reader.cursor() as rcur, rcur.copy(
                f"COPY (SELECT at_iso, dossier_id, ord, actor_id, actor_label, action, object_type, object_id, "
                f"changes, data FROM {STAGE_TABLE} {where} ORDER BY at, dossier_id, ord) TO STDOUT",
                params or None) as source:
            rest = b""
            for block in source:
                lines = (rest + bytes(block)).split(b"\n")
                rest = lines.pop()
                for raw in lines:
                    line = raw.decode()
                    at_iso, dossier_id, ord_, actor, label, action, otype, oid, changes, data = line.split("\t")
                    seq += 1
                    actor_json = "null" if actor == "\\N" else actor
                    payload = (f'["{prev}",{seq},"{at_iso}",{actor_json},"{action}","{otype}","{oid}",{dossier_id},'
                               f"{unescape(changes)},{unescape(data)}]")
                    digest = sha(payload.encode()).hexdigest()
                    if checked < 2000 or seq % 100_000 == 0:  # the shortcut must equal entry_digest
                        real = entry_digest(prev_hash=prev, seq=seq, at=at_iso,
                                            actor_id=None if actor == "\\N" else int(actor), action=action,
                                            object_type=otype, object_id=oid, dossier_id=int(dossier_id),
                                            changes=json.loads(unescape(changes)), data=json.loads(unescape(data)))
                        if real != digest:
                            raise SystemExit(f"audit: digest shortcut differs from entry_digest at seq {seq}")
                        checked += 1
                    out.append(f"{seq}\t{seq}\t{at_iso}\t{actor}\t{label}\t{action}\t{otype}\t{oid}\t{dossier_id}\t"
                               f"{changes}\t{data}\t{prev}\t{digest}{table.suffix}")
                    prev = digest
                    key = (at_iso, dossier_id, ord_)
                    if len(out) >= chunk:
                        tf = time.perf_counter()
                        _flush_audit(writer, copy_in, out, seq, prev, key)
                        t_flush += time.perf_counter() - tf
                        out = []
                        print(f"  audit: {seq} entries chained "
                              f"({(seq - seq0) / (time.perf_counter() - t0):.0f}/s; {t_flush:.0f} s in COPY)",
                              flush=True)
            if rest.strip():
                raise SystemExit("audit: truncated staging stream")
        if out:
            tf = time.perf_counter()
            _flush_audit(writer, copy_in, out, seq, prev, key)
            t_flush += time.perf_counter() - tf
        with writer.transaction():
            meta_set(writer, "audit_done", True)
    print(f"audit: {seq} entries, head {prev[:12]}…, {time.perf_counter() - t0:.1f} s "
          f"({t_flush:.1f} s in COPY into audit_auditentry; digest shortcut checked on {checked} entries)", flush=True)
    return seq - seq0


def _flush_audit(conn, copy_in: str, lines: list[str], seq: int, prev: str, key) -> None:
    with conn.transaction():
        with conn.cursor() as cur, cur.copy(copy_in) as cp:
            cp.write(("\n".join(lines) + "\n").encode())
        conn.execute("INSERT INTO audit_audithead (id, seq, hash) VALUES (1, %s, %s) "
                     "ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash", [seq, prev])
        meta_set(conn, "audit_last_key", [key[0], int(key[1]), int(key[2])])


def close_consultations(conn) -> None:
    """Consultations are COPYed with open = TRUE (the column default); close those of files no
    longer under review, as rokhas.decisions.services._finish does."""
    conn.execute("UPDATE review_consultation c SET open = FALSE FROM dossiers_dossier d "
                 "WHERE d.id = c.dossier_id AND d.status <> 'in_review' AND c.open")


def finish(conn) -> None:
    """Sequences after explicit ids, drop the staging table, ANALYZE."""
    t0 = time.perf_counter()
    close_consultations(conn)
    tables = [r[0] for r in conn.execute(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'id'")]
    for t in tables:
        seq_name = conn.execute("SELECT pg_get_serial_sequence(%s, 'id')", [t]).fetchone()[0]
        if seq_name:
            conn.execute(f"SELECT setval('{seq_name}', GREATEST((SELECT COALESCE(MAX(id), 0) FROM \"{t}\"), 1))")
    conn.execute(f"DROP TABLE IF EXISTS {STAGE_TABLE}")
    meta_set(conn, "complete", True)
    conn.execute("VACUUM ANALYZE")
    print(f"finish: sequences set, staging dropped, VACUUM ANALYZE in {time.perf_counter() - t0:.1f} s", flush=True)


def summary(conn) -> dict:
    out = {}
    for t in ("territory_commune", "accounts_organisation", "accounts_user", "accounts_membership",
              "dossiers_dossier", "dossiers_round", "dossiers_round_return_reasons", "dossiers_message",
              "documents_document", "documents_documentversion", "review_consultation", "review_opinion",
              "decisions_decision", "audit_auditentry"):
        out[t] = conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
    out["status"] = dict(conn.execute("SELECT status, count(*) FROM dossiers_dossier GROUP BY 1 ORDER BY 2 DESC"))
    out["db_size"] = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db-url", default=None, help="default: $BENCH_DATABASE_URL or rokhas_bench on 127.0.0.1")
    parser.add_argument("--files", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000, help="files per committed batch")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--writers", type=int, default=2,
                        help="PostgreSQL connections writing batches in parallel (commits stay in order)")
    parser.add_argument("--audit", choices=["light", "full"], default="light",
                        help="light: ~5-6 entries per file (created, submitted, clock, check, decision...); "
                             "full: every event the services record (uploads, dispatch, opinions) ~18 per file")
    parser.add_argument("--now", default=None, help="the generation's 'now' (ISO datetime); default: now")
    parser.add_argument("--reset", action="store_true", help="drop and recreate the database first")
    parser.add_argument("--verify", action="store_true", help="run rokhas_verify_audit at the end")
    args = parser.parse_args(argv)
    url = db_url(args.db_url)
    check_local(url)
    t_all = time.perf_counter()
    ensure_database(url, args.reset)
    migrate(url)
    setup_django(url)

    import psycopg
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    conn = psycopg.connect(url, autocommit=True)  # atomicity: explicit conn.transaction() blocks
    conn.execute("SET synchronous_commit = off")  # this session only; commits still ordered and atomic
    conn.execute("SET TIME ZONE 'UTC'")
    conn.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key text PRIMARY KEY, value jsonb NOT NULL)")
    conn.execute(stage_sql())
    params = {"files": args.files, "batch": args.batch, "seed": args.seed, "audit": args.audit}
    stored = meta_get(conn, "params")
    if stored and stored != params:
        raise SystemExit(f"the database was generated with {stored}; run with the same parameters to resume, "
                         "or with --reset")
    if meta_get(conn, "complete", False):
        print(f"already complete: {summary(conn)}")
        return 0
    now_iso = meta_get(conn, "now") or args.now or dt.datetime.now(UTC).replace(microsecond=0).isoformat()
    now = dt.datetime.fromisoformat(now_iso)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    with conn.transaction():
        meta_set(conn, "params", params)
        meta_set(conn, "now", now_iso)

    t0 = time.perf_counter()
    if not meta_get(conn, "reference_done", False):
        call_command("rokhas_load_territory", verbosity=0)
        call_command("rokhas_load_catalogue", verbosity=0)
        n_pop = synthesise_populations(args.seed)
        password = make_password("Rokhas-demo-2026")  # rokhas.demo.seed.DEMO_PASSWORD, hashed once
        build_reference(args.seed, password)
        with conn.transaction():
            meta_set(conn, "reference_done", True)
            meta_set(conn, "password_hash", password)
        print(f"reference data in {time.perf_counter() - t0:.1f} s ({n_pop} populations synthesised)", flush=True)
    world = World(args.seed)
    world.password_hash = meta_get(conn, "password_hash")
    conn.close()
    # Holidays: computed once per process (no 5-minute refresh), and before the fork.
    from django.conf import settings

    from rokhas.workdays.calendar import is_holiday

    settings.ROKHAS_HOLIDAY_CACHE_SECONDS = 0
    for year in range(START.year - 1, now.year + 3):
        is_holiday(dt.date(year, 1, 1))

    t1 = time.perf_counter()
    totals = generate_files(url, world, args, now)
    t2 = time.perf_counter()
    entries = build_audit_chain(url, args)
    t3 = time.perf_counter()
    conn = psycopg.connect(url, autocommit=True)
    finish(conn)
    t4 = time.perf_counter()
    info = summary(conn)
    conn.close()
    rows = sum(v for k, v in totals.items() if not k.startswith("audit")) + entries
    print("\n== summary")
    for k, v in info.items():
        print(f"  {k}: {v}")
    print(f"files phase: {t2 - t1:.1f} s; audit chain: {t3 - t2:.1f} s; finish (sequences, VACUUM ANALYZE): "
          f"{t4 - t3:.1f} s")
    if t3 - t1 > 0 and rows:
        print(f"rows written this run: {rows} in {t3 - t1:.1f} s = {rows / (t3 - t1):.0f} rows/s "
              f"({args.files / (t3 - t1):.0f} files/s); total time {time.perf_counter() - t_all:.1f} s")
    if args.verify:
        tv = time.perf_counter()
        call_command("rokhas_verify_audit")
        print(f"audit chain verified by rokhas_verify_audit in {time.perf_counter() - tv:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
