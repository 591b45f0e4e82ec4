"""The dataset: read, rendered to text, split, cut into windows and batched with the padding masked.

Formats: JSONL of `{"text": …}` or `{"messages": [{"role", "content"}, …]}` (rendered with the
base's chat template), or plain UTF-8 text with one example per non-empty line.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass

import torch

IGNORE_INDEX = -100  # what the loss skips (PyTorch's cross_entropy default, transformers' convention)


class DatasetError(ValueError):
    """A dataset that cannot be trained on, with the line at fault where there is one."""


@dataclass(frozen=True)
class Example:
    text: str | None = None
    messages: tuple[dict, ...] | None = None


def read_examples(path: str) -> list[Example]:
    try:
        with open(path, encoding="utf-8") as file:
            lines = [(number, line.strip()) for number, line in enumerate(file, 1) if line.strip()]
    except UnicodeDecodeError as error:
        raise DatasetError(f"the dataset is not UTF-8 text: {error}") from None
    if not lines:
        raise DatasetError("the dataset is empty")
    if not lines[0][1].startswith("{"):
        return [Example(text=line) for _, line in lines]
    examples = []
    for number, line in lines:
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise DatasetError(f"line {number} is not JSON: {error.msg}") from None
        if isinstance(row, dict) and isinstance(row.get("text"), str):
            examples.append(Example(text=row["text"]))
        elif isinstance(row, dict) and _is_conversation(row.get("messages")):
            examples.append(Example(messages=tuple(row["messages"])))
        else:
            raise DatasetError(
                f'line {number} has neither "text" (a string) nor "messages" (a list of {{"role", "content"}})'
            )
    return examples


def _is_conversation(messages) -> bool:
    return (
        isinstance(messages, list)
        and len(messages) > 0
        and all(isinstance(m, dict) and isinstance(m.get("role"), str) and isinstance(m.get("content"), str) for m in messages)
    )


def render(examples: list[Example], tokenizer) -> list[str]:
    """Each example as the text the model trains on; conversations through the base's chat template."""
    texts = []
    for example in examples:
        if example.text is not None:
            texts.append(example.text)
            continue
        if not getattr(tokenizer, "chat_template", None):
            raise DatasetError("the dataset holds conversations but the base model has no chat template")
        texts.append(tokenizer.apply_chat_template(list(example.messages), tokenize=False))
    return texts


def split(texts: list[str], seed: int, share: float = 0.1) -> tuple[list[str], list[str]]:
    """Shuffled train and validation parts; the validation part holds at least one example."""
    if len(texts) < 2:
        raise DatasetError(
            f"the dataset holds {len(texts)} example; at least 2 are needed (one is held out to measure the loss)"
        )
    order = list(range(len(texts)))
    random.Random(seed).shuffle(order)
    held_out = max(1, round(len(texts) * share))
    return [texts[i] for i in order[held_out:]], [texts[i] for i in order[:held_out]]


def windows(texts: list[str], tokenizer, max_length: int) -> list[list[int]]:
    """Token windows of at most `max_length`: each text is cut, never joined with another."""
    eos = tokenizer.eos_token_id
    result = []
    for text in texts:
        ids = tokenizer(text, add_special_tokens=True)["input_ids"]
        if eos is not None and (not ids or ids[-1] != eos):
            ids = ids + [eos]
        for start in range(0, len(ids), max_length):
            window = ids[start : start + max_length]
            if len(window) >= 2:  # one token predicts nothing
                result.append(window)
    return result


def collate(batch: list[list[int]], pad_id: int) -> dict[str, torch.Tensor]:
    """Right-padded ids, their attention mask, and labels with every padded position ignored."""
    width = max(len(ids) for ids in batch)
    input_ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    attention_mask = torch.zeros((len(batch), width), dtype=torch.long)
    for row, ids in enumerate(batch):
        input_ids[row, : len(ids)] = torch.tensor(ids)
        attention_mask[row, : len(ids)] = 1
    labels = input_ids.masked_fill(attention_mask == 0, IGNORE_INDEX)
    return {"input_ids": input_ids, "attention_mask": attention_mask, "labels": labels}


def token_loss(model, batch: dict[str, torch.Tensor]) -> tuple[torch.Tensor, int]:
    """Summed next-token loss over the positions that count, and how many there are."""
    logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits[:, :-1]
    labels = batch["labels"][:, 1:]
    loss = torch.nn.functional.cross_entropy(
        logits.reshape(-1, logits.shape[-1]).float(), labels.reshape(-1), ignore_index=IGNORE_INDEX, reduction="sum"
    )
    return loss, int((labels != IGNORE_INDEX).sum())
