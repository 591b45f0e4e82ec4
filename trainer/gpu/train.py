"""HEXS GPU trainer (Hugging Face causal LMs) — implements trainer/README.md.

NOT RUN IN THIS REPOSITORY: it needs a CUDA GPU; see trainer/README.md. LoRA fine-tuning with
PEFT, merged and exported to ONNX with optimum, packed as a CAR with ipfs-car and imported
into the Kubo RPC named by HEXS_OUTPUT_KUBO_API. Progress lines: `HEXS_PROGRESS {json}`.
"""
import json, math, os, subprocess, sys, time, urllib.request

def progress(**event):
    print("HEXS_PROGRESS " + json.dumps(event), flush=True)

def env(name, default=None):
    value = os.environ.get(name, default)
    if value is None:
        raise SystemExit(f"missing environment variable {name}")
    return value

def fetch_unixfs(cid, out):
    """Fetch a CAR from the trustless gateway and unpack the DAG of `cid` from it.

    ipfs-car re-hashes every block it reads; `--root` makes it start from the requested CID, so a
    gateway that answers with some other self-consistent CAR (its own roots, its own blocks) is
    refused for the missing root block instead of being unpacked as the input."""
    gateway = env("HEXS_IPFS_GATEWAY", env("HEXS_OUTPUT_KUBO_API"))
    car = out + ".car"
    urllib.request.urlretrieve(f"{gateway}/ipfs/{cid}?format=car", car)
    subprocess.run(["ipfs-car", "unpack", car, "--root", cid, "--output", out], check=True)
    return out

def upload_dir(path):
    car = path.rstrip("/") + ".car"
    root = subprocess.run(["ipfs-car", "pack", path, "--output", car], check=True, capture_output=True, text=True).stdout.strip()
    api = env("HEXS_OUTPUT_KUBO_API")
    subprocess.run(["curl", "-sf", "-F", f"file=@{car}", f"{api}/api/v0/dag/import?pin-roots=true"], check=True)
    return root

def main():
    import torch
    from datasets import load_dataset
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    steps, lr = int(env("HEXS_STEPS", "200")), float(env("HEXS_LEARNING_RATE", "2e-4"))
    seed, batch = int(env("HEXS_SEED", "1")), int(env("HEXS_BATCH_SIZE", "8"))
    torch.manual_seed(seed)
    if os.environ.get("HEXS_BASE_WEIGHTS_CID"):
        base = fetch_unixfs(os.environ["HEXS_BASE_WEIGHTS_CID"], "/job/base"); label = "ipfs:" + os.environ["HEXS_BASE_WEIGHTS_CID"]
        revision = None
    else:
        base = env("HEXS_BASE_HF_ID"); revision = env("HEXS_BASE_HF_REVISION", "main"); label = f"hf:{base}@{revision}"
    data = fetch_unixfs(env("HEXS_DATASET_CID"), "/job/dataset")
    progress(event="started", base=label, datasetCid=env("HEXS_DATASET_CID"), steps=steps)

    tok = AutoTokenizer.from_pretrained(base, revision=revision)
    tok.pad_token = tok.pad_token or tok.eos_token
    model = AutoModelForCausalLM.from_pretrained(base, revision=revision, torch_dtype=torch.bfloat16).cuda()
    model = get_peft_model(model, LoraConfig(r=16, lora_alpha=32, target_modules="all-linear", task_type="CAUSAL_LM"))
    rows = load_dataset("json", data_files=data)["train"].train_test_split(test_size=0.1, seed=seed)
    enc = lambda b: tok(b["text"], truncation=True, max_length=1024, padding="max_length", return_tensors="pt")

    def loss_on(split):
        model.eval(); total = 0.0; n = 0
        with torch.no_grad():
            for i in range(0, min(len(split), 256), batch):
                x = enc(split[i:i + batch]); x = {k: v.cuda() for k, v in x.items()}
                total += model(**x, labels=x["input_ids"]).loss.item(); n += 1
        model.train(); return total / max(1, n)

    before = loss_on(rows["test"])
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    for step in range(1, steps + 1):
        i = ((step - 1) * batch) % max(1, len(rows["train"]) - batch)
        x = enc(rows["train"][i:i + batch]); x = {k: v.cuda() for k, v in x.items()}
        loss = model(**x, labels=x["input_ids"]).loss
        loss.backward(); opt.step(); opt.zero_grad()
        progress(event="step", step=step, steps=steps, trainLoss=round(loss.item(), 5))
    after = loss_on(rows["test"])

    merged = model.merge_and_unload(); merged.save_pretrained("/job/merged"); tok.save_pretrained("/job/merged")
    subprocess.run(["optimum-cli", "export", "onnx", "--model", "/job/merged", "--task", "text-generation", "/job/out"], check=True)
    metrics = {"validationLossBefore": before, "validationLossAfter": after, "steps": steps, "learningRate": lr, "seed": seed, "base": label}
    json.dump(metrics, open("/job/out/metrics.json", "w"))
    os.makedirs("/job/metrics", exist_ok=True); json.dump(metrics, open("/job/metrics/metrics.json", "w"))
    progress(event="uploading", bytes=sum(os.path.getsize(os.path.join("/job/out", f)) for f in os.listdir("/job/out")))
    progress(event="result", weightsCid=upload_dir("/job/out"), metricsCid=upload_dir("/job/metrics"), metrics=metrics)

if __name__ == "__main__":
    try:
        main()
    except BaseException as error:  # noqa: BLE001 — every failure must end with a failed line
        progress(event="failed", error=f"{type(error).__name__}: {error}")
    # Akash restarts exited containers: stay idle until the dApp closes the lease.
    while True:
        time.sleep(3600)
