"""Sliced metrics (``run.log(..., slice=...)``) and system metrics (``init(system_metrics=...)``)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

import exptrack
from conftest import only_run_dir, read_events, run_python

REPO = Path(__file__).resolve().parents[2]
TSX = REPO / "node_modules" / ".bin" / "tsx"


def test_three_slices_of_two_metrics_are_valid_events_beside_the_overall_ones(workspace):
    with exptrack.init(name="fair") as run:
        run.log({"accuracy": 0.8, "f1": 0.75, "count": 1000}, step=4)
        for sex, acc, f1 in (("F", 0.7, 0.74), ("M", 0.86, 0.77), ("X", 0.79, 0.6)):
            run.log({"accuracy": acc, "f1": f1}, slice={"sex": sex, "age": 30})
        run.log({"loss": 0.1})
    path = only_run_dir(workspace / ".exptrack") / "events.jsonl"
    metrics = [e for e in read_events(path) if e["t"] == "metrics"]
    assert [(e["step"], e.get("slice"), e["values"]) for e in metrics] == [
        (4, None, {"accuracy": 0.8, "f1": 0.75, "count": 1000}),
        (4, {"sex": "F", "age": "30"}, {"accuracy": 0.7, "f1": 0.74}),
        (4, {"sex": "M", "age": "30"}, {"accuracy": 0.86, "f1": 0.77}),
        (4, {"sex": "X", "age": "30"}, {"accuracy": 0.79, "f1": 0.6}),
        (5, None, {"loss": 0.1}),  # slices stay at the latest step and do not move it on
    ]
    if TSX.exists():
        done = subprocess.run([str(TSX), str(REPO / "python" / "tests" / "validate_events.ts"), str(path)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(REPO))
        assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()


def test_a_slice_that_is_not_a_mapping_warns_and_writes_nothing(workspace):
    with exptrack.init() as run:
        with pytest.warns(RuntimeWarning, match="slice must be a dict"):
            run.log({"accuracy": 0.5}, slice=["sex", "F"])
    events = read_events(only_run_dir(workspace / ".exptrack") / "events.jsonl")
    assert [e["t"] for e in events] == ["run", "end"]


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="system metrics read Linux's /proc")
def test_system_metrics_sample_this_process_tree(workspace):
    run_python("""
        import exptrack, time
        run = exptrack.init(name="sys", system_metrics=0.2)
        data = b"\\x01" * (64 * 1024 * 1024)
        start = time.process_time()
        while time.process_time() - start < 1.0:
            pass
        time.sleep(0.3)
        run.finish()
    """, workspace)
    events = read_events(only_run_dir(workspace / ".exptrack") / "events.jsonl")
    samples = [e for e in events if e["t"] == "metrics"]
    assert len(samples) >= 3
    assert [s["step"] for s in samples] == list(range(len(samples)))
    assert max(s["values"].get("system/rss_mb", 0) for s in samples) >= 64
    assert max(s["values"].get("system/cpu_percent", 0) for s in samples) > 20
    assert all("system/memory_used_mb" in s["values"] for s in samples)
    assert not any(k.startswith("system/gpu") for s in samples for k in s["values"]), "no nvidia-smi here"
    assert events[-1]["t"] == "end", "nothing is written after the end"


def test_gpus_come_from_nvidia_smi_on_path_and_a_broken_one_is_quietly_left_out(workspace, tmp_path):
    fake = REPO / "test" / "unit" / "systemMetrics" / "nvidia-smi"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "nvidia-smi").write_bytes((fake / "fake-nvidia-smi").read_bytes())
    (bin_dir / "nvidia-smi").chmod(0o755)
    code = """
        import exptrack, time
        run = exptrack.init(system_metrics=0.2)
        time.sleep(0.7)
        run.finish()
    """
    env = {"PATH": "%s%s%s" % (bin_dir, os.pathsep, os.environ.get("PATH", "")), "FAKE_NVIDIA_SMI_OUTPUT": str(fake / "two-gpus.txt")}
    run_python(code, workspace, env_extra=env)
    samples = [e for e in read_events(only_run_dir(workspace / ".exptrack") / "events.jsonl") if e["t"] == "metrics"]
    assert samples and all(s["values"]["system/gpu0/utilization_percent"] == 97 for s in samples)
    assert all(s["values"]["system/gpu1/temperature_c"] == 31 and "system/gpu1/power_w" not in s["values"] for s in samples)

    for d in (workspace / ".exptrack" / "runs").iterdir():
        import shutil
        shutil.rmtree(str(d))
    done = run_python(code, workspace, env_extra=dict(env, FAKE_NVIDIA_SMI_EXIT="9"))
    assert b"Traceback" not in done.stderr
    samples = [e for e in read_events(only_run_dir(workspace / ".exptrack") / "events.jsonl") if e["t"] == "metrics"]
    assert samples and not any(k.startswith("system/gpu") for s in samples for k in s["values"])


def test_a_run_exptrack_launched_is_not_sampled_twice(workspace):
    exptrack_dir = workspace / ".exptrack"
    run_dir = exptrack_dir / "runs" / "20260101-000000-abcdef01"
    run_dir.mkdir(parents=True)
    (run_dir / "events.jsonl").write_text('{"t":"run","v":1,"id":"20260101-000000-abcdef01","started":1}\n')
    run_python("""
        import exptrack, time
        run = exptrack.init(system_metrics=0.1)
        time.sleep(0.4)
        run.finish()
    """, workspace, env_extra={"EXPTRACK_RUN_ID": "20260101-000000-abcdef01", "EXPTRACK_DIR": str(exptrack_dir),
                               "EXPTRACK_SYSTEM_METRICS_INTERVAL": "5"})
    assert [e["t"] for e in read_events(run_dir / "events.jsonl")] == ["run"]
