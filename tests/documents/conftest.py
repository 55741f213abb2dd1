import pytest


@pytest.fixture
def media(settings, tmp_path):
    """Stored files go to a fresh folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
