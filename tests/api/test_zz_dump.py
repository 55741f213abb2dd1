import json
from tests.api.conftest import url, client_for

def test_dump(world, clients, api_file):
    pk = api_file()
    clients["guichet"].post(url("dossier-return", pk=pk), {"reasons": ["doc-wrong"], "message": "x"}, format="json")
    print(json.dumps(clients["architect"].get(url("dossier-detail", pk=pk)).json(), indent=1, ensure_ascii=False)[:6000])
    print(json.dumps(client_for().get(url("procedure-list")).json(), ensure_ascii=False)[:2500])
