# The yardstick of bench/mlflowPush.bench.ts: MLflow's own Python client logging the same points
# with log_batch (1,000 metrics a call, its limit) into a run of the same server.
# stdin: {"uri", "experiment", "metrics": {key: [[step, ms, value], ...]}}; stdout: {"seconds", "points"}.
import json
import sys
import time

from mlflow.entities import Metric
from mlflow.tracking import MlflowClient

req = json.load(sys.stdin)
client = MlflowClient(tracking_uri=req["uri"])
exp = client.get_experiment_by_name(req["experiment"])
exp_id = exp.experiment_id if exp else client.create_experiment(req["experiment"])
run_id = client.create_run(exp_id).info.run_id
metrics = [Metric(key, value, ms, step) for key, points in req["metrics"].items() for step, ms, value in points]
started = time.perf_counter()
for i in range(0, len(metrics), 1000):
    client.log_batch(run_id, metrics=metrics[i:i + 1000])
seconds = time.perf_counter() - started
json.dump({"seconds": seconds, "points": len(metrics)}, sys.stdout)
