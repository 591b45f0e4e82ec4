import pytest

from hexs_trainer.model import BaseModelError, check_layout, pick_device


def test_an_agent_in_hexs_first_format_is_refused_with_what_to_do(tmp_path):
    (tmp_path / "model.onnx").write_bytes(b"onnx")
    (tmp_path / "tokenizer.json").write_text("{}")
    with pytest.raises(BaseModelError, match="HEXS's first format .* fine-tune it once with the tiny trainer"):
        check_layout(str(tmp_path), "ipfs:bafy")


def test_a_folder_without_config_or_weights_is_refused(tmp_path):
    with pytest.raises(BaseModelError, match="has no config.json"):
        check_layout(str(tmp_path), "ipfs:bafy")
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "pytorch_model.bin").write_bytes(b"")
    with pytest.raises(BaseModelError, match="no safetensors weights"):
        check_layout(str(tmp_path), "hf:org/m@main")
    (tmp_path / "model.safetensors.index.json").write_text("{}")
    check_layout(str(tmp_path), "hf:org/m@main")


def test_more_than_one_gpu_is_refused():
    with pytest.raises(BaseModelError, match="HEXS_GPUS=4: this trainer runs on one GPU"):
        pick_device(4)
    assert pick_device(1).type in ("cpu", "cuda")
