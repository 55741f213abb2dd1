"""The external-tool guard: a missing tool fails the suite unless skipping is asked for."""

import pytest

from . import conftest


def test_missing_binary_fails(monkeypatch):
    monkeypatch.delenv("ROKHAS_ALLOW_SKIP", raising=False)
    monkeypatch.setattr(conftest.shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception):
        conftest.require_binary("pdfsig")


def test_missing_binary_skips_when_allowed(monkeypatch):
    monkeypatch.setenv("ROKHAS_ALLOW_SKIP", "1")
    monkeypatch.setattr(conftest.shutil, "which", lambda name: None)
    with pytest.raises(pytest.skip.Exception):
        conftest.require_binary("pdfsig")


def test_present_binary_is_returned():
    assert conftest.require_binary("sh").endswith("/sh")
