# Reads runs back through MLflow's own Python client, for the sync tests.
# stdin: {"uri", "experiment", "reference"?: {"key", "points": [[step, ms, value]]}}
# stdout: the experiment's runs as JSON, NaN and infinities spelled as strings.
import json
import math
import sys

from mlflow.entities import Metric
from mlflow.tracking import MlflowClient


def num(v):
    if isinstance(v, float) and math.isnan(v):
        return "NaN"
    if isinstance(v, float) and math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def wire(v):
    return {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}.get(v, v) if isinstance(v, str) else v


req = json.load(sys.stdin)
client = MlflowClient(tracking_uri=req["uri"])
exp = client.get_experiment_by_name(req["experiment"])
out = {"runs": []}
if exp is not None:
    for run in client.search_runs([exp.experiment_id], max_results=1000):
        info, data = run.info, run.data
        histories = {}
        for key in data.metrics:
            histories[key] = [[m.step, m.timestamp, num(m.value)] for m in client.get_metric_history(info.run_id, key)]
        artifacts = {}
        for f in client.list_artifacts(info.run_id):
            if not f.is_dir:
                path = client.download_artifacts(info.run_id, f.path, req.get("download_dir", "/tmp"))
                with open(path, "rb") as fh:
                    artifacts[f.path] = fh.read().decode("utf-8", "replace")
        out["runs"].append({
            "run_id": info.run_id, "name": info.run_name, "status": info.status, "start_time": info.start_time,
            "end_time": info.end_time, "params": data.params, "tags": data.tags, "histories": histories, "artifacts": artifacts,
        })

ref = req.get("reference")
if ref is not None:
    # MLflow's own client logs the same points with log_batch in a run of its own, as a yardstick.
    ref_exp = client.get_experiment_by_name("reference") or client.get_experiment(client.create_experiment("reference"))
    rid = client.create_run(ref_exp.experiment_id if hasattr(ref_exp, "experiment_id") else ref_exp).info.run_id
    metrics = [Metric(ref["key"], wire(v), int(ms), int(step)) for step, ms, v in ref["points"]]
    for i in range(0, len(metrics), 1000):
        client.log_batch(rid, metrics=metrics[i:i + 1000])
    out["reference"] = [[m.step, m.timestamp, num(m.value)] for m in client.get_metric_history(rid, ref["key"])]

json.dump(out, sys.stdout)
