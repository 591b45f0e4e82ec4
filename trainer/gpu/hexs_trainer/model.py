"""The base model and its tokenizer, loaded by transformers from a folder in the Hugging Face layout,
wrapped for LoRA (PEFT) or left whole for full fine-tuning."""
from __future__ import annotations

import torch

from .layout import layout_problem


class BaseModelError(ValueError):
    """A base that transformers cannot fine-tune: no config, no safetensors weights, HEXS's ONNX-only format."""


def check_layout(folder: str, label: str) -> None:
    problem = layout_problem(folder)
    if problem == "first-format":
        raise BaseModelError(
            f"the base {label} is in HEXS's first format (model.onnx and a hexs-char tokenizer, no weights "
            "transformers can train); fine-tune it once with the tiny trainer, whose result is in the "
            "Hugging Face layout, and use that as the base"
        )
    if problem == "no-config":
        raise BaseModelError(f"the base {label} has no config.json: it is not a model folder in the Hugging Face layout")
    if problem == "no-safetensors":
        raise BaseModelError(f"the base {label} has no safetensors weights (model.safetensors)")


def pick_device(gpus: int) -> torch.device:
    available = torch.cuda.device_count()
    if gpus > 1:
        raise BaseModelError(
            f"HEXS_GPUS={gpus}: this trainer runs on one GPU; lease one (the SDL's gpu units must be 1)"
        )
    return torch.device("cuda") if available else torch.device("cpu")


def load(folder: str, device: torch.device, method: str, seed: int):
    """(model, tokenizer), the model on `device`, trainable as `method` says."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.manual_seed(seed)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    dtype = torch.bfloat16 if device.type == "cuda" and torch.cuda.is_bf16_supported() else torch.float32
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=dtype).to(device)
    if method == "lora":
        from peft import LoraConfig, get_peft_model

        model = get_peft_model(model, LoraConfig(r=16, lora_alpha=32, lora_dropout=0.0, target_modules="all-linear", task_type="CAUSAL_LM"))
    return model, tokenizer


def context_length(model) -> int:
    config = model.config
    for name in ("max_position_embeddings", "n_positions", "n_ctx"):
        value = getattr(config, name, None)
        if isinstance(value, int) and value > 0:
            return value
    return 2048


def merged(model):
    """The plain transformers model, LoRA adapters folded into its weights."""
    return model.merge_and_unload() if hasattr(model, "merge_and_unload") else model
