"""Settings for the benchmark server: the app's settings, with a URLconf that adds a bare
view (the baseline of bench_submit.py). Used only by bench/ (gunicorn and the bench scripts)."""

from rokhas.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
