"""Content-addressed storage, and removal of new files when the work fails."""

import pytest
from django.core.files.storage import default_storage
from django.db import transaction

from rokhas.documents.storage import StoredFilesGuard, open_stored, storage_name, store_clean_file
from rokhas.documents.validation import validate_upload

from .builders import make_jpeg, make_pdf, upload


class Boom(Exception):
    pass


def clean_pdf(pages=1):
    return validate_upload(upload("plan.pdf", make_pdf(pages=pages)))


def test_name_is_content_addressed(media):
    clean = clean_pdf()
    name = store_clean_file(clean, prefix="dossiers/42")
    assert name == f"documents/dossiers/42/{clean.sha256[:2]}/{clean.sha256}.pdf"
    assert (media / name).read_bytes() == clean.content
    assert open_stored(name) == clean.content
    photo = validate_upload(upload("photo.jpeg", make_jpeg()))
    assert store_clean_file(photo, prefix="dossiers/42").endswith(".jpg")


def test_same_content_is_stored_once(media):
    first = clean_pdf()
    second = validate_upload(upload("copie du plan.pdf", make_pdf()))
    assert first.sha256 == second.sha256
    name = store_clean_file(first, prefix="dossiers/42")
    assert store_clean_file(second, prefix="dossiers/42") == name
    folder = media / name.rsplit("/", 1)[0]
    assert [p.name for p in folder.iterdir()] == [name.rsplit("/", 1)[1]]


def test_damaged_copy_is_replaced(media):
    clean = clean_pdf()
    name = storage_name(clean, prefix="x")
    path = media / name
    path.parent.mkdir(parents=True)
    path.write_bytes(clean.content[:10])  # e.g. an interrupted write
    assert store_clean_file(clean, prefix="x") == name
    assert path.read_bytes() == clean.content


@pytest.mark.parametrize("prefix", ["", "../etc", "a//b", "/abs", "a/./b", "dossiers/42/", "é"])
def test_unsafe_prefixes_are_refused(media, prefix):
    with pytest.raises(ValueError):
        store_clean_file(clean_pdf(), prefix=prefix)


def test_exception_in_guard_removes_new_files_but_keeps_existing_ones(media):
    existing = clean_pdf(pages=1)
    existing_name = store_clean_file(existing, prefix="dossiers/1")  # stored by earlier work
    new = clean_pdf(pages=2)

    with pytest.raises(Boom), StoredFilesGuard() as guard:
        assert store_clean_file(existing, prefix="dossiers/1") == existing_name
        new_name = store_clean_file(new, prefix="dossiers/1")
        assert default_storage.exists(new_name)
        raise Boom

    assert not default_storage.exists(new_name)
    assert default_storage.exists(existing_name)
    assert guard.stored == [existing_name, new_name]
    assert guard.created == []


def test_files_stay_when_the_block_succeeds(media):
    with StoredFilesGuard() as guard:
        name = store_clean_file(clean_pdf(), prefix="dossiers/1")
    assert guard.created == [name]
    assert default_storage.exists(name)


def test_outer_guard_cleans_up_after_an_inner_one_succeeded(media):
    with pytest.raises(Boom), StoredFilesGuard():
        with StoredFilesGuard():
            name = store_clean_file(clean_pdf(), prefix="dossiers/1")
        raise Boom
    assert not default_storage.exists(name)


def test_guard_asks_before_deleting_a_file_someone_else_now_uses(media):
    with pytest.raises(Boom), StoredFilesGuard(is_referenced=lambda name: True):
        name = store_clean_file(clean_pdf(), prefix="dossiers/1")
        raise Boom
    assert default_storage.exists(name)


def test_no_guard_no_registration(media):
    name = store_clean_file(clean_pdf(), prefix="dossiers/1")
    with StoredFilesGuard() as guard:
        pass
    assert guard.stored == [] and default_storage.exists(name)


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_inside_the_guard_removes_the_files(media):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    with pytest.raises(Boom), StoredFilesGuard():
        with transaction.atomic():
            name = store_clean_file(clean_pdf(), prefix="dossiers/1")
            User.objects.create(username="ahmed", email="ahmed@example.ma")
            raise Boom
    assert not User.objects.filter(username="ahmed").exists()
    assert not default_storage.exists(name)
