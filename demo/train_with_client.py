"""The same model, logging through the exptrack Python client: datasets, metrics per epoch and
the trained model file are recorded explicitly (python/exptrack.py, standard library only)."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
import exptrack  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
lr = float(sys.argv[sys.argv.index("--lr") + 1]) if "--lr" in sys.argv else 0.2

with exptrack.init(name=f"client lr={lr}", experiment="churn-client", params={"lr": lr, "epochs": 8}) as run:
    run.log_dataset(os.path.join(here, "data", "churn.csv"), role="train")
    out = subprocess.run([sys.executable, os.path.join(here, "train.py"), "--lr", str(lr), "--epochs", "8"],
                         capture_output=True, text=True, check=True)
    for line in out.stdout.splitlines():
        if line.startswith("Epoch "):
            head, *pairs = line.split(" - ")
            step = int(head.split()[1].split("/")[0])
            run.log({k: float(v) for k, v in (p.split(": ") for p in pairs)}, step=step)
        elif line.startswith("weights: "):
            weights = dict(p.split("=") for p in line[len("weights: "):].split(", "))
    os.makedirs(os.path.join(here, "out"), exist_ok=True)
    model_path = os.path.join(here, "out", "churn-model.json")
    with open(model_path, "w") as f:
        json.dump({k: float(v) for k, v in weights.items()}, f)
    run.log_model(model_path, name="churn")
