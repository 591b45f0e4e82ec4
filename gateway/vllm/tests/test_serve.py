import io
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from hexs_trainer.unixfs import pack_path
from hexs_vllm.__main__ import ServeError, Settings, fetch_weights, settings_from, vllm_argv


def hf_folder(root):
    os.makedirs(root)
    (root / "config.json").write_text('{"model_type": "llama"}')
    (root / "model.safetensors").write_bytes(bytes(range(256)) * 4000)  # two leaves under a file node
    (root / "tokenizer.json").write_text('{"model": {"type": "BPE"}}')
    return root


def car_bytes(folder):
    packed = pack_path(str(folder))
    out = io.BytesIO()
    packed.write_car(out)
    return packed.root, out.getvalue()


class Gateway:
    """A trustless gateway on loopback answering /ipfs/<cid>?format=car with `car`, as given."""

    def __init__(self, car: bytes):
        self.requests: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                owner.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "application/vnd.ipld.car; version=1")
                self.send_header("Content-Length", str(len(car)))
                self.end_headers()
                self.wfile.write(car)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def weights(tmp_path):
    root, car = car_bytes(hf_folder(tmp_path / "weights"))
    tampered = bytearray(car)
    tampered[len(tampered) // 2] ^= 1
    honest, liar = Gateway(car), Gateway(bytes(tampered))
    yield root, honest, liar
    honest.close()
    liar.close()


def settings(root, gateways, model_dir):
    return Settings(weights=root, gateways=gateways, port=8000, model_dir=str(model_dir), extra_args=[])


def test_reads_its_settings_naming_the_variable_at_fault():
    good = {"HEXS_WEIGHTS_CID": "bafybeiei7hwbvcyrwycyeddnjyh75mcchogyjmenh3vyu3okjcydcfi4u4", "HEXS_IPFS_GATEWAYS": "https://a.example/, https://b.example"}
    read = settings_from(good | {"HEXS_VLLM_ARGS": "--max-model-len 4096 --dtype 'bfloat16'"})
    assert read.gateways == ["https://a.example", "https://b.example"]
    assert (read.port, read.model_dir, read.extra_args) == (8000, "/models", ["--max-model-len", "4096", "--dtype", "bfloat16"])
    for env, message in [
        ({"HEXS_IPFS_GATEWAYS": "https://a.example"}, "HEXS_WEIGHTS_CID is not set"),
        (good | {"HEXS_WEIGHTS_CID": "not-a-cid"}, "HEXS_WEIGHTS_CID='not-a-cid' is not a CID"),
        (good | {"HEXS_IPFS_GATEWAYS": " , "}, "HEXS_IPFS_GATEWAYS is empty"),
        (good | {"HEXS_VLLM_PORT": "80000"}, "HEXS_VLLM_PORT='80000' is not a port"),
    ]:
        with pytest.raises(ServeError, match=message):
            settings_from(env)


def test_fetches_from_the_honest_gateway_after_one_that_lies_and_names_the_liar(weights, tmp_path):
    root, honest, liar = weights
    said: list[str] = []
    folder = fetch_weights(settings(root, [liar.url, honest.url], tmp_path / "models"), said.append)
    assert folder == str(tmp_path / "models" / str(root))
    assert (tmp_path / "models" / str(root) / "model.safetensors").read_bytes() == bytes(range(256)) * 4000
    assert len(said) == 1 and said[0].startswith(f"{liar.url} did not serve {root}") and "do not match the CID" in said[0]
    assert liar.requests == [f"/ipfs/{root}?format=car&dag-scope=all"]
    # Nothing of the refused try is left beside the weights.
    assert os.listdir(tmp_path / "models") == [str(root)]
    # A restarted container finds the checked folder and asks no gateway again.
    assert fetch_weights(settings(root, [honest.url], tmp_path / "models"), said.append) == folder
    assert len(honest.requests) == 1


def test_serves_nothing_when_every_gateway_lies_or_fails(weights, tmp_path):
    root, _, liar = weights
    with pytest.raises(ServeError, match=f"no gateway served {root} whole and true: .*do not match the CID.*cannot be reached"):
        fetch_weights(settings(root, [liar.url, "http://127.0.0.1:9"], tmp_path / "models"), lambda _: None)
    assert os.listdir(tmp_path / "models") == []


def test_refuses_a_folder_vllm_cannot_load(tmp_path):
    first = tmp_path / "first"
    os.makedirs(first)
    (first / "model.onnx").write_bytes(b"onnx")
    root, car = car_bytes(first)
    gateway = Gateway(car)
    try:
        with pytest.raises(ServeError, match="HEXS's first format .*serve this agent with the gateway's built-in runtime"):
            fetch_weights(settings(root, [gateway.url], tmp_path / "models"), lambda _: None)
    finally:
        gateway.close()


def test_runs_vllm_on_the_folder_with_the_cid_as_its_model_name(tmp_path):
    s = Settings(weights=pack_path(str(hf_folder(tmp_path / "w"))).root, gateways=["https://a.example"], port=8123, model_dir="/models", extra_args=["--max-model-len", "4096"])
    assert vllm_argv(s, "/models/x") == [
        "vllm", "serve", "/models/x", "--served-model-name", str(s.weights), "--host", "0.0.0.0", "--port", "8123", "--max-model-len", "4096",
    ]
