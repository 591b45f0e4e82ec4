"""One job, start to end: inputs from the environment, base and dataset fetched and checked, the
fine-tune, the result folder uploaded, and exactly one `result` or `failed` line."""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile

from . import data, export, hub, ipfs, model as models
from .job import HubBase, JobInputs, inputs_from_env
from .progress import Progress
from .train import TrainSettings, fine_tune

MAX_ERROR_LENGTH = 2000


def run(inputs: JobInputs, progress: Progress, workdir: str) -> None:
    device = models.pick_device(inputs.gpus)
    base_dir = os.path.join(workdir, "base")
    if isinstance(inputs.base, HubBase):
        hub.download_base(inputs.base, inputs.hf_endpoint, inputs.hf_token, base_dir)
    else:
        ipfs.fetch(inputs.gateway, inputs.base.cid, base_dir)
        if not os.path.isdir(base_dir):
            raise models.BaseModelError(f"the base {inputs.base.label} is a file, not a model folder")
    models.check_layout(base_dir, inputs.base.label)
    dataset_path = os.path.join(workdir, "dataset")
    ipfs.fetch(inputs.gateway, inputs.dataset, dataset_path)
    if os.path.isdir(dataset_path):
        raise data.DatasetError(f"the dataset {inputs.dataset} is a folder; give the CID of one JSONL or text file")
    progress.emit("started", base=inputs.base.label, datasetCid=str(inputs.dataset), steps=inputs.steps)

    model, tokenizer = models.load(base_dir, device, inputs.method, inputs.seed)
    max_length = min(inputs.max_length, models.context_length(model))
    train_texts, validation_texts = data.split(data.render(data.read_examples(dataset_path), tokenizer), inputs.seed)
    train = data.windows(train_texts, tokenizer, max_length)
    validation = data.windows(validation_texts, tokenizer, max_length)
    if not train or not validation:
        raise data.DatasetError("the dataset's examples are too short to train on (each needs at least 2 tokens)")
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else (tokenizer.eos_token_id or 0)
    settings = TrainSettings(inputs.steps, inputs.learning_rate, inputs.batch_size, inputs.warmup_steps, inputs.seed)
    metrics = fine_tune(model, train, validation, settings, pad_id, device, lambda step: progress.emit("step", **step))
    with open(dataset_path, "rb") as file:
        dataset_sha256 = hashlib.sha256(file.read()).hexdigest()
    metrics.update(
        base=inputs.base.label,
        datasetCid=str(inputs.dataset),
        datasetSha256=dataset_sha256,
        method=inputs.method,
        maxLength=max_length,
        device=device.type,
    )

    out = os.path.join(workdir, "out")
    name = f"{(inputs.base.repo if isinstance(inputs.base, HubBase) else 'agent').split('/')[-1]}-hexs-ft"
    card = export.model_card(
        name, inputs.base.label, inputs.base.repo if isinstance(inputs.base, HubBase) else None, str(inputs.dataset), metrics
    )
    export.write_folder(models.merged(model), tokenizer, out, card)
    with open(os.path.join(out, "metrics.json"), "w") as file:
        json.dump(metrics, file)
    metrics_dir = os.path.join(workdir, "metrics")
    os.makedirs(metrics_dir, exist_ok=True)
    with open(os.path.join(metrics_dir, "metrics.json"), "w") as file:
        json.dump(metrics, file)
    size = sum(os.path.getsize(os.path.join(root, f)) for root, _, files in os.walk(out) for f in files)
    progress.emit("uploading", bytes=size)
    weights, _ = ipfs.upload(inputs.kubo_api, out, inputs.kubo_token)
    metrics_cid, _ = ipfs.upload(inputs.kubo_api, os.path.join(metrics_dir, "metrics.json"), inputs.kubo_token)
    progress.emit("result", weightsCid=str(weights), metricsCid=str(metrics_cid), metrics=metrics)


def main(env=os.environ) -> int:
    progress = Progress()
    try:
        inputs = inputs_from_env(env)
        with tempfile.TemporaryDirectory(prefix="hexs-job-", dir=env.get("HEXS_WORKDIR") or None) as workdir:
            run(inputs, progress, workdir)
        return 0
    except Exception as error:  # noqa: BLE001 — every failure ends the job with its one failed line
        if progress.ended:
            raise
        message = f"{type(error).__name__}: {error}"
        progress.emit("failed", error=message[:MAX_ERROR_LENGTH])
        return 1


if __name__ == "__main__":
    sys.exit(main())
