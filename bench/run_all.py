#!/usr/bin/env python
"""Run every benchmark: data generation, read paths, submission throughput, signing.

    make bench                                   # = .venv/bin/python bench/run_all.py
    BENCH_FILES=20000 .venv/bin/python bench/run_all.py     # quick run (~3 minutes)

Environment:
  BENCH_FILES          files to generate (default 1,000,000: ~1 hour on 2 cores the first
                       time; the database is kept and reused by later runs)
  BENCH_DATABASE_URL   the bench database (default postgres://postgres@127.0.0.1:5432/rokhas_bench
                       for 1,000,000 files, rokhas_bench_<N> for another size)
  BENCH_RUNS           runs per read path (default 200)
  BENCH_QUICK=1        shorter submission and signing phases

Each step prints its own table and writes bench/results/*.json; this script ends with a
summary and exits non-zero if a step failed (missed targets are reported, not failures).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH_DIR, DEFAULT_DB_URL, PYTHON, ROOT, check_local, machine_description  # noqa: E402


def step(name: str, cmd: list[str], timeout: int, env: dict) -> tuple[int, float]:
    print(f"\n===== {name}\n$ {' '.join(cmd)}", flush=True)
    t0 = time.perf_counter()
    try:
        rc = subprocess.run(cmd, cwd=ROOT, env=env, timeout=timeout).returncode
    except subprocess.TimeoutExpired:
        print(f"{name}: timed out after {timeout} s", flush=True)
        rc = 124
    return rc, time.perf_counter() - t0


def main() -> int:
    files = int(os.environ.get("BENCH_FILES", "1000000"))
    url = os.environ.get("BENCH_DATABASE_URL") or (
        DEFAULT_DB_URL if files == 1_000_000 else DEFAULT_DB_URL.rsplit("/", 1)[0] + f"/rokhas_bench_{files}")
    check_local(url)
    runs = os.environ.get("BENCH_RUNS", "200")
    quick = os.environ.get("BENCH_QUICK") == "1"
    env = {**os.environ, "BENCH_DATABASE_URL": url}
    env.setdefault("ROKHAS_VAR_DIR", str(ROOT / "var" / "bench"))
    results = BENCH_DIR / "results"
    results.mkdir(exist_ok=True)
    load_before = os.getloadavg()
    print(f"bench database {url}, {files} files; machine {json.dumps(machine_description(url))}", flush=True)
    steps = [
        ("generate", [PYTHON, "bench/generate.py", "--db-url", url, "--files", str(files),
                      "--batch", str(min(10_000, max(1_000, files // 10)))], 4 * 3600),
        ("reads", [PYTHON, "bench/bench_reads.py", "--db-url", url, "--runs", runs,
                   "--json", str(results / f"reads-{files}.json")], 3600),
        ("submit", [PYTHON, "bench/bench_submit.py", "--db-url", url, "--json", str(results / f"submit-{files}.json")]
         + (["--duration", "8", "--drafts", "150"] if quick else []), 3600),
    ]
    signing = BENCH_DIR / "bench_signing.py"
    if signing.exists():
        steps.append(("signing", [PYTHON, str(signing)] + (["-n", "10"] if quick else []), 3600))
    summary = []
    for name, cmd, timeout in steps:
        rc, seconds = step(name, cmd, timeout, env)
        summary.append((name, rc, seconds))
        if name == "generate" and rc != 0:
            break  # nothing to measure without data
    print("\n===== summary")
    for name, rc, seconds in summary:
        print(f"  {name:<10} {'ok' if rc == 0 else f'FAILED (exit {rc})':<18} {seconds:8.1f} s")
    print(f"  load average before: {load_before[0]:.2f}, after: {os.getloadavg()[0]:.2f} "
          "(other jobs on the machine skew the figures)")
    return 0 if all(rc == 0 for _, rc, _ in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
