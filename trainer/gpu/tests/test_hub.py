import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from hexs_trainer.hub import GatedRepoError, HubError, download_base
from hexs_trainer.job import HubBase

TOKEN = "hf_grantedtoken"


class GatedHub(BaseHTTPRequestHandler):
    """A gated repo as the hub serves it: info for anyone, files only with a token that has access."""

    def do_GET(self):
        if self.path.startswith("/api/models/"):
            return self.answer(200, json.dumps({"gated": "manual", "siblings": [{"rfilename": "config.json"}, {"rfilename": "model.safetensors"}]}).encode())
        auth = self.headers.get("Authorization")
        if auth is None:
            return self.refuse(401, "Access to model org/gated is restricted. You must have access to it and be authenticated to access it. Please log in.")
        if auth != f"Bearer {TOKEN}":
            return self.refuse(403, "Access to model org/gated is restricted and you are not in the authorized list.")
        self.answer(200, b"{}")

    def answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def refuse(self, status, message):
        self.send_response(status)
        self.send_header("X-Error-Code", "GatedRepo")
        self.send_header("X-Error-Message", message)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def hub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), GatedHub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_gated_repo_without_a_token_says_so(hub, tmp_path):
    with pytest.raises(GatedRepoError, match="restricted.*HF_TOKEN is not set"):
        download_base(HubBase("org/gated", "main"), hub, None, str(tmp_path))


def test_a_token_without_access_is_named_but_never_shown(hub, tmp_path):
    with pytest.raises(GatedRepoError) as error:
        download_base(HubBase("org/gated", "main"), hub, "hf_wrongtoken", str(tmp_path))
    assert "HF_TOKEN has no access" in str(error.value)
    assert "hf_wrongtoken" not in str(error.value)


def test_a_granted_token_downloads(hub, tmp_path):
    assert download_base(HubBase("org/gated", "main"), hub, TOKEN, str(tmp_path)) == ["config.json", "model.safetensors"]


def test_an_unreachable_hub_is_a_clear_error(tmp_path):
    with pytest.raises(HubError, match="cannot be reached"):
        download_base(HubBase("org/m", "main"), "http://127.0.0.1:9", None, str(tmp_path))
