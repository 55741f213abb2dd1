"""Shared helpers for the benchmarks: the bench database URL, Django set-up, statistics.

Everything in bench/ talks to a dedicated PostgreSQL database (never the developer's or the
test database) and only to 127.0.0.1.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_DB_URL = "postgres://postgres@127.0.0.1:5432/rokhas_bench"
PYTHON = sys.executable


def db_url(cli_value: str | None = None) -> str:
    return cli_value or os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DB_URL


def check_local(url: str) -> None:
    host = urlsplit(url).hostname or "127.0.0.1"
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"bench: refusing to talk to a non-local database host {host!r}")


def db_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def admin_url(url: str) -> str:
    """The same server, database `postgres` (to create or drop the bench database)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, parts.fragment))


def psycopg_dsn(url: str) -> str:
    # psycopg accepts postgres:// and postgresql:// URLs as they are.
    return url


def setup_django(url: str, settings_module: str = "rokhas.settings") -> None:
    """Point Django at the bench database and set it up (once per process)."""
    check_local(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    os.environ.setdefault("ROKHAS_VAR_DIR", str(ROOT / "var" / "bench"))
    # The benchmarks time the verification page itself, not the per-address limit in front of it.
    os.environ.setdefault("ROKHAS_VERIFY_RATE", "100000000/min")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def migrate(url: str, settings_module: str = "rokhas.settings") -> None:
    """Apply the app's migrations to the bench database (a no-op when up to date)."""
    check_local(url)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": settings_module}
    subprocess.run([PYTHON, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                   check=True, timeout=3600)


def pct(values: list[float], p: float) -> float:
    """p-th percentile (nearest rank on the sorted sample, interpolated)."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


class Timer:
    def __enter__(self):
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.t0


def machine_description(url: str | None = None) -> dict:
    info = {
        "loadavg_1m": round(os.getloadavg()[0], 2),
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    info["ram_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    if url:
        try:
            import psycopg

            with psycopg.connect(admin_url(url), connect_timeout=5) as conn:  # exists even before generation
                info["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
                for name in ("shared_buffers", "work_mem", "max_wal_size"):
                    info[f"pg_{name}"] = conn.execute(f"SHOW {name}").fetchone()[0]
        except Exception as exc:  # noqa: BLE001 - informative only
            info["postgresql"] = f"unknown ({exc.__class__.__name__})"
    return info


def git_revision() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, timeout=10).stdout.strip()
    except Exception:  # noqa: BLE001
        return "unknown"
