"""The training loop: shuffled batches, linear warmup then decay, clipped gradients, and the
held-out loss measured before, during and after."""
from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import torch

from .data import collate, token_loss

MAX_VALIDATION_WINDOWS = 256
CLIP_NORM = 1.0


@dataclass(frozen=True)
class TrainSettings:
    steps: int
    learning_rate: float
    batch_size: int
    warmup_steps: int
    seed: int


def validation_loss(model, windows: list[list[int]], batch_size: int, pad_id: int, device) -> float:
    """Mean loss per token (nats) over the held-out windows."""
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for start in range(0, min(len(windows), MAX_VALIDATION_WINDOWS), batch_size):
            batch = {k: v.to(device) for k, v in collate(windows[start : start + batch_size], pad_id).items()}
            loss, tokens = token_loss(model, batch)
            total += loss.item()
            count += tokens
    model.train()
    return total / max(1, count)


def fine_tune(
    model,
    train: list[list[int]],
    validation: list[list[int]],
    settings: TrainSettings,
    pad_id: int,
    device,
    on_step: Callable[[dict], None],
) -> dict:
    """Trains in place; returns the metrics the result line reports."""
    torch.manual_seed(settings.seed)
    shuffler = random.Random(settings.seed)
    before = validation_loss(model, validation, settings.batch_size, pad_id, device)
    parameters = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(parameters, lr=settings.learning_rate)

    def schedule(step: int) -> float:
        if step < settings.warmup_steps:
            return (step + 1) / (settings.warmup_steps + 1)
        return max(0.0, (settings.steps - step) / max(1, settings.steps - settings.warmup_steps))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    evaluate_every = max(1, settings.steps // 10)
    order: list[int] = []
    started = time.monotonic()
    train_loss = math.nan
    model.train()
    for step in range(1, settings.steps + 1):
        batch_ids = []
        while len(batch_ids) < min(settings.batch_size, len(train)):
            if not order:
                order = list(range(len(train)))
                shuffler.shuffle(order)
            batch_ids.append(order.pop())
        batch = {k: v.to(device) for k, v in collate([train[i] for i in batch_ids], pad_id).items()}
        loss, tokens = token_loss(model, batch)
        (loss / tokens).backward()
        torch.nn.utils.clip_grad_norm_(parameters, CLIP_NORM)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        train_loss = loss.item() / tokens
        event = {"step": step, "steps": settings.steps, "trainLoss": round(train_loss, 5)}
        if step % evaluate_every == 0 or step == settings.steps:
            event["validationLoss"] = round(validation_loss(model, validation, settings.batch_size, pad_id, device), 5)
        on_step(event)
    seconds = time.monotonic() - started
    after = validation_loss(model, validation, settings.batch_size, pad_id, device)
    return {
        "validationLossBefore": before,
        "validationLossAfter": after,
        "finalTrainLoss": train_loss,
        "steps": settings.steps,
        "batchSize": settings.batch_size,
        "learningRate": settings.learning_rate,
        "warmupSteps": settings.warmup_steps,
        "seed": settings.seed,
        "trainWindows": len(train),
        "validationWindows": len(validation),
        "trainingSeconds": round(seconds, 3),
        "stepsPerSecond": round(settings.steps / seconds, 3) if seconds > 0 else None,
    }
