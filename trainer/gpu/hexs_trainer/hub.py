"""Reads a base model's files from a Hugging Face hub (`HF_ENDPOINT`), with an optional token.

Only what training needs is downloaded: the config, tokenizer and generation files and the
safetensors weights (sharded or not); ONNX exports, other weight formats and the rest of the
repo are skipped. The token goes in the Authorization header only; no message carries it.
"""
from __future__ import annotations

import json
import os
import shutil
import urllib.error
import urllib.parse
import urllib.request

from .job import HubBase

WANTED = (
    "config.json",
    "generation_config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "tokenizer.model",
    "vocab.json",
    "merges.txt",
    "added_tokens.json",
    "chat_template.jinja",
    "model.safetensors",
    "model.safetensors.index.json",
)


class HubError(RuntimeError):
    """The hub refused or could not serve the base model."""


class GatedRepoError(HubError):
    """The repo is gated and the job has no token with access to it."""


def _get(url: str, token: str | None, timeout: float = 60):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        return urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        code = error.headers.get("x-error-code", "")
        message = error.headers.get("x-error-message") or error.reason
        if code == "GatedRepo" or (error.code in (401, 403) and "restricted" in str(message)):
            raise GatedRepoError(f"{message} (HF_TOKEN {'has no access' if token else 'is not set'})") from None
        raise HubError(f"the hub answered HTTP {error.code} ({code or 'error'}: {message}) for {url}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise HubError(f"the hub at {url} cannot be reached: {getattr(error, 'reason', error)}") from None


def download_base(base: HubBase, endpoint: str, token: str | None, out: str) -> list[str]:
    """Downloads the base's training files into `out`; returns their repo paths."""
    repo = urllib.parse.quote(base.repo, safe="/")
    revision = urllib.parse.quote(base.revision, safe="")
    with _get(f"{endpoint}/api/models/{repo}/revision/{revision}", token) as response:
        info = json.load(response)
    listed = {sibling["rfilename"] for sibling in info.get("siblings", [])}
    paths = [path for path in WANTED if path in listed]
    index = "model.safetensors.index.json"
    if "config.json" not in listed:
        raise HubError(f"{base.label} has no config.json: transformers cannot load it")
    os.makedirs(out, exist_ok=True)
    for path in paths:
        _download(f"{endpoint}/{repo}/resolve/{revision}/{urllib.parse.quote(path)}", token, os.path.join(out, path))
    if index in paths:
        with open(os.path.join(out, index)) as file:
            shards = sorted(set(json.load(file)["weight_map"].values()))
        for shard in shards:
            _download(f"{endpoint}/{repo}/resolve/{revision}/{urllib.parse.quote(shard)}", token, os.path.join(out, shard))
        paths += shards
    elif "model.safetensors" not in paths:
        raise HubError(f"{base.label} has no safetensors weights (model.safetensors or a sharded index)")
    return paths


def _download(url: str, token: str | None, path: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    partial = path + ".partial"
    with _get(url, token, timeout=300) as response, open(partial, "wb") as file:
        shutil.copyfileobj(response, file, 1024 * 1024)
    os.replace(partial, path)
