"""Finding and deleting stored files that nothing refers to."""

import os
import time
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage

from rokhas.documents.storage import delete_if_unreferenced, find_orphans, open_stored, store_clean_file
from rokhas.documents.validation import validate_upload

from .builders import make_jpeg, make_pdf, upload


def store(prefix, pages=1):
    return store_clean_file(validate_upload(upload("a.pdf", make_pdf(pages=pages))), prefix=prefix)


def age(media, name, seconds=2 * 3600):
    old = time.time() - seconds
    os.utime(media / name, (old, old))


def test_find_orphans_walks_all_of_documents(media):
    kept = store("dossiers/1")
    orphan_a = store("dossiers/1", pages=2)
    orphan_b = store_clean_file(validate_upload(upload("p.jpg", make_jpeg())), prefix="dossiers/2/photos")
    (media / "elsewhere").mkdir()
    (media / "elsewhere" / "not-ours.txt").write_text("x")
    assert find_orphans({kept}, min_age=None) == sorted([orphan_a, orphan_b])


def test_recent_files_are_not_orphans_yet(media):
    recent = store("dossiers/1")
    old = store("dossiers/1", pages=2)
    age(media, old)
    assert find_orphans(set()) == [old]  # default min_age: one hour
    assert find_orphans(set(), min_age=timedelta(0)) == sorted([recent, old])


def test_find_orphans_without_any_documents(media):
    assert find_orphans(set()) == []


def test_delete_if_unreferenced(media):
    name = store("dossiers/1")
    assert delete_if_unreferenced(name, lambda n: True) is False
    assert default_storage.exists(name)
    assert delete_if_unreferenced(name, lambda n: False) is True
    assert not default_storage.exists(name)
    assert delete_if_unreferenced(name, lambda n: False) is False


@pytest.mark.parametrize("name", ["../settings.py", "documents/../../x", "other/file.pdf", "documents//x"])
def test_names_outside_documents_are_refused(media, name):
    with pytest.raises(ValueError):
        open_stored(name)
    with pytest.raises(ValueError):
        delete_if_unreferenced(name, lambda n: False)
