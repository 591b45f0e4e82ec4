import json
import os

import pytest
import torch

from hexs_trainer import data
from hexs_trainer.data import IGNORE_INDEX, DatasetError

TINY_MODEL = os.path.join(os.path.dirname(__file__), "..", "..", "..", "models", "out-hf", "tiny-stories-char")


@pytest.fixture(scope="module")
def tiny():
    from transformers import AutoModelForCausalLM, AutoTokenizer

    return AutoModelForCausalLM.from_pretrained(TINY_MODEL).eval(), AutoTokenizer.from_pretrained(TINY_MODEL)


def test_padding_does_not_count_in_the_loss(tiny):
    model, tokenizer = tiny
    short = tokenizer("The cat sat.")["input_ids"]
    long = tokenizer("Once upon a time there was a little fox in the wood.")["input_ids"]
    alone = data.collate([short], pad_id=0)
    padded = data.collate([short, long], pad_id=0)
    assert (padded["labels"][0, len(short) :] == IGNORE_INDEX).all()
    assert (padded["labels"][0, : len(short)] == torch.tensor(short)).all()
    with torch.no_grad():
        loss_alone, count_alone = data.token_loss(model, alone)
        loss_both, count_both = data.token_loss(model, padded)
        loss_long, count_long = data.token_loss(model, data.collate([long], pad_id=0))
    assert count_both == count_alone + count_long == len(short) - 1 + len(long) - 1
    # The short row's loss in the padded batch is its loss alone: the padding added nothing.
    assert loss_both.item() == pytest.approx(loss_alone.item() + loss_long.item(), rel=1e-5)


def test_a_dataset_of_three_lines_splits_two_and_one(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(json.dumps({"text": t}) for t in ["one line", "two lines", "three lines"]) + "\n")
    texts = [e.text for e in data.read_examples(str(path))]
    train, validation = data.split(texts, seed=1)
    assert (len(train), len(validation)) == (2, 1)
    assert sorted(train + validation) == sorted(texts)
    assert data.split(texts, seed=1) == (train, validation)


def test_one_example_is_too_few():
    with pytest.raises(DatasetError, match="at least 2"):
        data.split(["only"], seed=1)


def test_names_the_line_that_is_neither_text_nor_messages(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "fine"}\n\n{"prompt": "no"}\n')
    with pytest.raises(DatasetError, match='line 3 has neither "text"'):
        data.read_examples(str(path))
    path.write_text('{"text": "fine"}\n{oops\n')
    with pytest.raises(DatasetError, match="line 2 is not JSON"):
        data.read_examples(str(path))


def test_plain_text_is_one_example_per_line(tmp_path):
    path = tmp_path / "d.txt"
    path.write_text("first line\n\nsecond line\n")
    assert [e.text for e in data.read_examples(str(path))] == ["first line", "second line"]


def test_conversations_go_through_the_chat_template(tmp_path, tiny):
    _, tokenizer = tiny
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}) + "\n")
    examples = data.read_examples(str(path))
    with pytest.raises(DatasetError, match="no chat template"):
        data.render(examples, tokenizer)
    tokenizer.chat_template = "{% for m in messages %}<{{ m.role }}>{{ m.content }}\n{% endfor %}"
    try:
        assert data.render(examples, tokenizer) == ["<user>Hi\n<assistant>Hello\n"]
    finally:
        tokenizer.chat_template = None


def test_windows_cut_long_texts_and_drop_single_tokens(tiny):
    _, tokenizer = tiny
    text = "abcdefghij" * 10  # 100 characters, one token each
    cut = data.windows([text, "a"], tokenizer, max_length=64)
    assert [len(w) for w in cut] == [64, 36]
