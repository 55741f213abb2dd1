"""Public verification is limited per client address (codes must not be enumerable): past the
limit the web page and the API answer 429 with a translated message, and nothing else."""

from tests.web.conftest import body, client_for


def test_too_many_verifications_get_a_translated_429(settings, db):
    settings.ROKHAS_VERIFY_RATE = "3/min"
    web = client_for(lang="ar")
    for _ in range(3):
        assert web.get("/ar/verify/AAAAA-BBBBB/").status_code == 200
    refused = web.get("/ar/verify/AAAAA-BBBBB/")
    assert refused.status_code == 429
    html = body(refused)
    assert 'data-testid="verify-throttled"' in html and 'dir="rtl"' in html
    assert 'data-testid="verify-result"' not in html  # no lookup was made
    # The API shares the same count for this address.
    api = client_for(lang="fr").get("/api/v1/verify/AAAAA-BBBBB/", HTTP_ACCEPT_LANGUAGE="fr")
    assert api.status_code == 429 and "detail" in api.json()


def test_another_address_is_not_limited(settings, db):
    settings.ROKHAS_VERIFY_RATE = "1/min"
    assert client_for().get("/fr/verify/AAAAA-BBBBB/", REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client_for().get("/fr/verify/AAAAA-BBBBB/", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client_for().get("/fr/verify/AAAAA-BBBBB/", REMOTE_ADDR="10.0.0.2").status_code == 200
