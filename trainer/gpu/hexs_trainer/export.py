"""The result folder in the Hugging Face layout: merged safetensors, config and tokenizer files as
transformers saves them, `onnx/model.onnx` with the KV cache as Optimum exports it (the graph the
playground and the gateway run), and a model card."""
from __future__ import annotations

import os
import shutil
import tempfile


def write_folder(model, tokenizer, out: str, card: str) -> None:
    os.makedirs(out, exist_ok=True)
    model.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as file:
        file.write(card)
    export_onnx(out)


def export_onnx(folder: str) -> None:
    """Exports `folder`'s model to `folder/onnx/` in float32 (what onnxruntime-web runs)."""
    from optimum.exporters.onnx import main_export

    with tempfile.TemporaryDirectory() as exported:
        main_export(folder, output=exported, task="text-generation-with-past", dtype="fp32", device="cpu", local_files_only=True)
        target = os.path.join(folder, "onnx")
        os.makedirs(target, exist_ok=True)
        for name in os.listdir(exported):
            # The graph and, for models over 2 GB, its external weights; the config and tokenizer
            # files it also writes are the ones already in the folder.
            if name.startswith("model.onnx"):
                shutil.move(os.path.join(exported, name), os.path.join(target, name))


def model_card(name: str, base_label: str, base_repo: str | None, dataset: str, metrics: dict) -> str:
    front = ["---", "library_name: transformers", "pipeline_tag: text-generation", "tags:", "  - onnx", "  - hexs"]
    if base_repo:
        front.append(f"base_model: {base_repo}")
    front.append("---")
    return "\n".join(
        front
        + [
            "",
            f"# {name}",
            "",
            f"{base_label} fine-tuned on {dataset} by the HEXS GPU trainer ({metrics['method']}, "
            f"{metrics['steps']} steps). Held-out loss {metrics['validationLossBefore']:.4f} → "
            f"{metrics['validationLossAfter']:.4f} nats per token.",
            "",
            "`model.safetensors` for transformers; `onnx/model.onnx` (with a KV cache) for transformers.js and onnxruntime.",
            "",
        ]
    )
