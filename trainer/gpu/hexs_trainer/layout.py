"""Whether a folder holds a model in the Hugging Face layout that transformers and vLLM load:
config.json and safetensors weights (HEXS's first format had only model.onnx and its own tokenizer)."""
from __future__ import annotations

import os
from typing import Literal

LayoutProblem = Literal["first-format", "no-config", "no-safetensors"]


def layout_problem(folder: str) -> LayoutProblem | None:
    files = set(os.listdir(folder))
    if "config.json" not in files:
        return "first-format" if "model.onnx" in files else "no-config"
    if not files & {"model.safetensors", "model.safetensors.index.json"}:
        return "no-safetensors"
    return None
