"""The vLLM service of a GPU-served agent (gateway/vllm/README.md): fetches the weights folder
named by HEXS_WEIGHTS_CID from the first trustless gateway that serves it whole and true, checks it
is in the Hugging Face layout, then becomes vLLM's OpenAI server for it, its model named by the
CID so the HEXS gateway in front of it says which version it serves."""
from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass

from hexs_trainer.cid import Cid, CidError
from hexs_trainer.ipfs import IpfsError, fetch_first
from hexs_trainer.layout import layout_problem


class ServeError(RuntimeError):
    """Nothing vLLM could serve: a bad setting, weights no gateway served, or a folder vLLM cannot load."""


@dataclass(frozen=True)
class Settings:
    weights: Cid
    gateways: list[str]
    port: int
    model_dir: str
    extra_args: list[str]


def settings_from(env: dict[str, str]) -> Settings:
    text = env.get("HEXS_WEIGHTS_CID", "").strip()
    if not text:
        raise ServeError("HEXS_WEIGHTS_CID is not set: name the agent's weights folder by its CID")
    try:
        weights = Cid.parse(text)
    except CidError as error:
        raise ServeError(f"HEXS_WEIGHTS_CID={text!r} is not a CID: {error}") from None
    gateways = [g.strip().rstrip("/") for g in env.get("HEXS_IPFS_GATEWAYS", "").split(",") if g.strip()]
    if not gateways:
        raise ServeError("HEXS_IPFS_GATEWAYS is empty: list the trustless gateways holding the weights, comma-separated")
    port_text = env.get("HEXS_VLLM_PORT", "8000")
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ServeError(f"HEXS_VLLM_PORT={port_text!r} is not a port")
    return Settings(
        weights=weights,
        gateways=gateways,
        port=int(port_text),
        model_dir=env.get("HEXS_MODEL_DIR", "/models"),
        extra_args=shlex.split(env.get("HEXS_VLLM_ARGS", "")),
    )


def fetch_weights(settings: Settings, log=print) -> str:
    """The weights' folder, fetched and checked; a folder already there was renamed into place only
    after every block checked out (a restarted container reuses it)."""
    folder = os.path.join(settings.model_dir, str(settings.weights))
    if not os.path.isdir(folder):
        try:
            fetch_first(settings.gateways, settings.weights, folder, log)
        except IpfsError as error:
            raise ServeError(str(error)) from None
    problem = layout_problem(folder) if os.path.isdir(folder) else "no-config"
    if problem == "first-format":
        raise ServeError(
            f"{settings.weights} is in HEXS's first format (model.onnx only): vLLM cannot serve it; serve this "
            "agent with the gateway's built-in runtime, or publish a version in the Hugging Face layout"
        )
    if problem == "no-config":
        raise ServeError(f"{settings.weights} has no config.json: it is not a model folder in the Hugging Face layout")
    if problem == "no-safetensors":
        raise ServeError(f"{settings.weights} has no safetensors weights (model.safetensors), which vLLM loads")
    return folder


def vllm_argv(settings: Settings, folder: str) -> list[str]:
    """vLLM's OpenAI server for `folder`, reachable by the gateway beside it, its model named by the CID."""
    return [
        "vllm",
        "serve",
        folder,
        "--served-model-name",
        str(settings.weights),
        "--host",
        "0.0.0.0",
        "--port",
        str(settings.port),
        *settings.extra_args,
    ]


def main() -> None:
    try:
        settings = settings_from(dict(os.environ))
        folder = fetch_weights(settings)
    except ServeError as error:
        print(f"hexs-vllm: {error}", file=sys.stderr, flush=True)
        sys.exit(1)
    argv = vllm_argv(settings, folder)
    print(f"hexs-vllm: serving {settings.weights} from {folder}: {shlex.join(argv)}", flush=True)
    os.execvp(argv[0], argv)


if __name__ == "__main__":
    main()
