"""The job's inputs, read from the environment as trainer/README.md lists them."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from .cid import Cid, CidError


class JobInputError(ValueError):
    """A missing or malformed input variable."""


@dataclass(frozen=True)
class HubBase:
    repo: str
    revision: str

    @property
    def label(self) -> str:
        return f"hf:{self.repo}@{self.revision}"


@dataclass(frozen=True)
class IpfsBase:
    cid: Cid

    @property
    def label(self) -> str:
        return f"ipfs:{self.cid}"


@dataclass(frozen=True)
class JobInputs:
    base: HubBase | IpfsBase
    dataset: Cid
    steps: int
    learning_rate: float
    seed: int
    batch_size: int
    method: str  # "lora" or "full"
    max_length: int
    warmup_steps: int
    gpus: int
    kubo_api: str
    kubo_token: str | None
    gateway: str
    hf_endpoint: str
    hf_token: str | None = None

    def __repr__(self) -> str:  # tokens are secrets: never printed, even in a traceback's locals
        return f"JobInputs(base={self.base.label}, dataset={self.dataset}, steps={self.steps}, method={self.method})"


def inputs_from_env(env: Mapping[str, str] = os.environ) -> JobInputs:
    def need(name: str) -> str:
        value = env.get(name, "").strip()
        if not value:
            raise JobInputError(f"missing environment variable {name} (see trainer/README.md)")
        return value

    def cid(name: str) -> Cid:
        try:
            return Cid.parse(need(name))
        except CidError as error:
            raise JobInputError(f"{name}: {error}") from error

    def number(name: str, default: float, kind=int, minimum: float = 1):
        raw = env.get(name, "").strip() or str(default)
        try:
            value = kind(raw)
        except ValueError:
            raise JobInputError(f"{name}={raw!r} is not a {'whole ' if kind is int else ''}number") from None
        if not value >= minimum or value != value or value in (float("inf"),):
            raise JobInputError(f"{name}={raw!r} must be at least {minimum}")
        return value

    method = (env.get("HEXS_METHOD", "").strip() or "lora").lower()
    if method not in ("lora", "full"):
        raise JobInputError(f"HEXS_METHOD={method!r}: use 'lora' (PEFT adapters, merged at the end) or 'full'")
    steps = number("HEXS_STEPS", 200)
    base: HubBase | IpfsBase = (
        IpfsBase(cid("HEXS_BASE_WEIGHTS_CID"))
        if env.get("HEXS_BASE_WEIGHTS_CID", "").strip()
        else HubBase(need("HEXS_BASE_HF_ID"), env.get("HEXS_BASE_HF_REVISION", "").strip() or "main")
    )
    kubo_api = need("HEXS_OUTPUT_KUBO_API").rstrip("/")
    return JobInputs(
        base=base,
        dataset=cid("HEXS_DATASET_CID"),
        steps=steps,
        learning_rate=number("HEXS_LEARNING_RATE", 2e-4, float, minimum=1e-12),
        seed=number("HEXS_SEED", 1, minimum=0),
        batch_size=number("HEXS_BATCH_SIZE", 8),
        method=method,
        max_length=number("HEXS_MAX_LENGTH", 1024, minimum=2),
        warmup_steps=number("HEXS_WARMUP_STEPS", steps // 10, minimum=0),
        gpus=number("HEXS_GPUS", 1),
        kubo_api=kubo_api,
        kubo_token=env.get("HEXS_OUTPUT_KUBO_TOKEN") or None,
        gateway=(env.get("HEXS_IPFS_GATEWAY", "").strip() or kubo_api).rstrip("/"),
        # transformers and huggingface_hub read HF_ENDPOINT; HEXS_HF_ENDPOINT is the contract's older name.
        hf_endpoint=(env.get("HF_ENDPOINT") or env.get("HEXS_HF_ENDPOINT") or "https://huggingface.co").rstrip("/"),
        hf_token=env.get("HF_TOKEN") or None,
    )
