import io
import json

import pytest

from hexs_trainer import main as job_main
from hexs_trainer.job import HubBase, IpfsBase, JobInputError, inputs_from_env
from hexs_trainer.progress import Progress

DATASET = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
BASE = {"HEXS_DATASET_CID": DATASET, "HEXS_OUTPUT_KUBO_API": "http://127.0.0.1:5001/"}


def test_reads_a_hub_base_with_its_token_and_endpoint():
    inputs = inputs_from_env({**BASE, "HEXS_BASE_HF_ID": "org/model", "HF_ENDPOINT": "http://hub/", "HF_TOKEN": "hf_secret"})
    assert inputs.base == HubBase("org/model", "main")
    assert (inputs.hf_endpoint, inputs.hf_token, inputs.gateway) == ("http://hub", "hf_secret", "http://127.0.0.1:5001")
    assert "hf_secret" not in repr(inputs)
    assert inputs.warmup_steps == 20 and inputs.method == "lora"


def test_the_contract_s_older_endpoint_name_still_works_and_weights_win_over_the_hub():
    inputs = inputs_from_env({**BASE, "HEXS_BASE_HF_ID": "org/model", "HEXS_BASE_WEIGHTS_CID": DATASET, "HEXS_HF_ENDPOINT": "http://old"})
    assert isinstance(inputs.base, IpfsBase)
    assert inputs.hf_endpoint == "http://old"


@pytest.mark.parametrize(
    "env, message",
    [
        ({}, "missing environment variable HEXS_BASE_HF_ID"),
        ({"HEXS_BASE_HF_ID": "o/m", "HEXS_STEPS": "ten"}, "HEXS_STEPS='ten' is not a whole number"),
        ({"HEXS_BASE_HF_ID": "o/m", "HEXS_STEPS": "0"}, "HEXS_STEPS='0' must be at least 1"),
        ({"HEXS_BASE_HF_ID": "o/m", "HEXS_METHOD": "qlora"}, "HEXS_METHOD='qlora'"),
        ({"HEXS_BASE_WEIGHTS_CID": "not-a-cid"}, "HEXS_BASE_WEIGHTS_CID: "),
        ({"HEXS_BASE_HF_ID": "o/m", "HEXS_LEARNING_RATE": "nan"}, "HEXS_LEARNING_RATE='nan' must be at least"),
    ],
)
def test_refuses_bad_inputs_naming_the_variable(env, message):
    with pytest.raises(JobInputError, match=message.replace("(", r"\(")):
        inputs_from_env({**BASE, **env})


def test_a_job_ends_with_exactly_one_failed_line(capsys):
    assert job_main.main({**BASE, "HEXS_BASE_HF_ID": "o/m", "HEXS_GPUS": "2"}) == 1
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("HEXS_PROGRESS ")]
    assert len(lines) == 1
    event = json.loads(lines[0].removeprefix("HEXS_PROGRESS "))
    assert event["event"] == "failed"
    assert "HEXS_GPUS=2: this trainer runs on one GPU" in event["error"]


def test_progress_lets_no_line_follow_the_final_one():
    progress = Progress(io.StringIO())
    progress.emit("result", weightsCid="a", metricsCid="b", metrics={})
    with pytest.raises(RuntimeError, match="after the job's final line"):
        progress.emit("failed", error="x")
