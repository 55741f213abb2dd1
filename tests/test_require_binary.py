"""The external-tool guard: a missing tool fails the suite unless skipping is asked for."""

import shutil

import pytest

from tests.conftest import require_binary


@pytest.mark.parametrize("tool", ["pdfsig", "pdftotext"])
def test_missing_binary_fails(monkeypatch, tool):
    monkeypatch.delenv("ROKHAS_ALLOW_SKIP", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception):
        require_binary(tool)


@pytest.mark.parametrize("tool", ["pdfsig", "pdftotext"])
def test_missing_binary_skips_when_allowed(monkeypatch, tool):
    monkeypatch.setenv("ROKHAS_ALLOW_SKIP", "1")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(pytest.skip.Exception):
        require_binary(tool)


def test_present_binary_is_returned():
    assert require_binary("sh").endswith("/sh")
