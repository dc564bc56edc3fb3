"""What the client writes: every event type, value encoding, steps, paths and file facts."""
import hashlib
import json
import math
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import exptrack
from conftest import only_run_dir, read_events, run_python

REPO = Path(__file__).resolve().parents[2]
TSX = REPO / "node_modules" / ".bin" / "tsx"

ALL_EVENTS_SCRIPT = """
    import exptrack
    run = exptrack.init(name="baseline", experiment="churn",
                        params={"lr": 0.01, "layers": [64, 32], "opt": {"name": "adam", "eps": float("nan")}})
    run.log({"loss": 0.5, "val/acc": 0.75})
    run.log({"loss": float("nan"), "up": float("inf"), "down": float("-inf")}, step=7)
    run.log_params({"seed": 3, "path": object()})
    run.log_dataset("data/train.csv")
    run.log_dataset("data/val.jsonl", role="validation")
    run.log_artifact("out/model.onnx")
    run.log_model("out/model.onnx", name="churn")
    run.log_model("out/model.onnx", name="churn-q", parent=("churn", 1), derivation="quantized")
    run.log_model("out/model.onnx", name="churn-ft", parent={"name": "churn", "version": 2})
    run.set_tag("note", "first try")
    run.finish()
"""


def write_inputs(root):
    (root / "data").mkdir()
    (root / "data" / "train.csv").write_text("a,b\n1,2\n3,4\n")
    (root / "data" / "val.jsonl").write_text('{"a": 1}\n{"a": 2}')
    (root / "out").mkdir()
    (root / "out" / "model.onnx").write_bytes(b"\x00model\x01")


def test_a_script_run_has_every_event_type_in_order(workspace):
    write_inputs(workspace)
    run_python(ALL_EVENTS_SCRIPT, workspace, script="train.py", args=["--lr", "0.01"])
    events = read_events(only_run_dir(workspace / ".exptrack") / "events.jsonl")
    assert [e["t"] for e in events] == ["run", "params", "metrics", "metrics", "params", "dataset", "dataset",
                                        "artifact", "model", "model", "model", "tag", "end"]
    start = events[0]
    assert start["v"] == 1 and start["name"] == "baseline" and start["experiment"] == "churn"
    assert re.fullmatch(r"\d{8}-\d{6}-[0-9a-f]{8}", start["id"])
    assert start["source"] == {"kind": "client", "path": "train.py"}
    assert start["command"][1:] == ["train.py", "--lr", "0.01"]
    assert start["cwd"] == str(workspace)
    assert start["env"] == {"python": "%d.%d.%d" % sys.version_info[:3]}
    assert events[1]["values"] == {"lr": 0.01, "layers": [64, 32], "opt": {"name": "adam", "eps": "NaN"}}
    assert events[4]["values"]["path"].startswith("<object object")
    assert events[5]["path"] == "data/train.csv" and events[5]["role"] == "train"
    assert events[6]["role"] == "validation"
    assert events[9]["parent"] == {"name": "churn", "version": 1} and events[9]["derivation"] == "quantized"
    assert events[10]["parent"] == {"name": "churn", "version": 2}
    assert events[11] == {"t": "tag", "key": "note", "value": "first try"}
    assert events[12]["status"] == "finished" and events[12]["exit"] is None
    assert events[12]["ended"] >= start["started"]


@pytest.mark.skipif(shutil.which("node") is None or not TSX.exists(), reason="needs node and tsx")
def test_every_line_validates_against_the_typescript_schema(workspace, tmp_path):
    write_inputs(workspace)
    run_python(ALL_EVENTS_SCRIPT, workspace, script="train.py")
    own = only_run_dir(workspace / ".exptrack") / "events.jsonl"
    attached_dir = tmp_path / "launched" / ".exptrack"
    run_python("""
        import exptrack
        with exptrack.init(name="n", experiment="e", params={"x": 1}) as run:
            run.log({"loss": float("inf")})
            run.log_model("missing.bin", name="m")
    """, tmp_path, env_extra={"EXPTRACK_DIR": str(attached_dir), "EXPTRACK_RUN_ID": "20261122-014211-a1b2c3d4"})
    attached = attached_dir / "runs" / "20261122-014211-a1b2c3d4" / "events.jsonl"
    done = subprocess.run([str(TSX), "python/tests/validate_events.ts", str(own), str(attached)], cwd=str(REPO),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    results = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()
    assert len(results) == len(read_events(own)) + len(read_events(attached))
    assert {r["type"] for r in results} == {"run", "params", "metrics", "dataset", "artifact", "model", "tag", "end"}


def test_non_finite_metrics_are_written_as_strings(workspace):
    run = exptrack.init()
    run.log({"nan": float("nan"), "inf": math.inf, "ninf": -math.inf, "ok": 1.5})
    run.finish()
    metrics = read_events(run.path)[1]
    assert metrics["values"] == {"nan": "NaN", "inf": "Infinity", "ninf": "-Infinity", "ok": 1.5}
    assert isinstance(metrics["time"], float)


def test_steps_count_from_zero_and_follow_an_explicit_step(workspace):
    run = exptrack.init()
    for step in (None, None, 10, None, 3, None):
        run.log({"x": 1}, step=step)
    assert [e["step"] for e in read_events(run.path)[1:]] == [0, 1, 10, 11, 3, 12]


class FakeScalar:
    """Looks like a numpy scalar or a 0-d torch tensor."""

    def __init__(self, value):
        self.value = value

    def item(self):
        return self.value


class FakeVector:
    def item(self):
        raise ValueError("only one element tensors can be converted to Python scalars")


class FloatLike:
    def __float__(self):
        return 2.5


def test_numeric_like_values_are_converted_and_others_skipped_with_one_warning(workspace, recwarn):
    run = exptrack.init()
    for _ in range(2):
        run.log({"b": True, "i": 7, "item": FakeScalar(0.25), "item_nan": FakeScalar(float("nan")),
                 "dec": Decimal("1.5"), "flt": FloatLike(), "name": "adam", "vec": FakeVector(),
                 "nested": {"acc": 0.5}})
    values = read_events(run.path)[1]["values"]
    assert values == {"b": 1, "i": 7, "item": 0.25, "item_nan": "NaN", "dec": 1.5, "flt": 2.5, "nested/acc": 0.5}
    messages = [str(w.message) for w in recwarn if "exptrack:" in str(w.message)]
    assert len([m for m in messages if "'name'" in m]) == 1
    assert len([m for m in messages if "'vec'" in m]) == 1


def test_params_keep_json_and_stringify_the_rest(workspace):
    run = exptrack.init()
    run.log_params({"nested": {"a": {"b": [1, (2, 3)]}}, "none": None, "path": Path("x/y"),
                    "set": {1}, "scalar": FakeScalar(3), "inf": float("inf"), 5: "int key"})
    values = read_events(run.path)[1]["values"]
    assert values["nested"] == {"a": {"b": [1, [2, 3]]}}
    assert values["none"] is None and values["path"] == str(Path("x/y")) and values["set"] == "{1}"
    assert values["inf"] == "Infinity" and values["5"] == "int key"
    assert values["scalar"] == 3


def test_dataset_facts_hash_bytes_and_rows(workspace):
    data = workspace / "d"
    data.mkdir()
    files = {"h.csv": b"a,b\n1,2\n3,4\n5,6\n", "no_newline.tsv": b"a\tb\n1\t2\n3\t4",
             "lines.jsonl": b'{"a":1}\n{"a":2}\n', "empty.csv": b"", "blob.bin": b"\x00\n\n"}
    for name, content in files.items():
        (data / name).write_bytes(content)
    run = exptrack.init()
    for name in files:
        run.log_dataset(data / name, role="eval")
    events = {Path(e["path"]).name: e for e in read_events(run.path)[1:]}
    for name, content in files.items():
        assert events[name]["sha256"] == hashlib.sha256(content).hexdigest()
        assert events[name]["bytes"] == len(content)
        assert events[name]["path"] == "d/" + name and events[name]["role"] == "eval"
    assert [events[n].get("rows") for n in files] == [3, 2, 2, 0, None]


def test_directory_artifacts_hash_their_files_in_a_stable_order(workspace):
    for root in ("m1", "m2"):
        (workspace / root / "sub").mkdir(parents=True)
        (workspace / root / "config.json").write_text("{}")
        (workspace / root / "sub" / "weights.bin").write_bytes(b"123")
    run = exptrack.init()
    run.log_artifact("m1")
    run.log_artifact(workspace / "m2")
    (workspace / "m2" / "config.json").write_text("{ }")
    run.log_artifact("m2")
    a, b, changed = read_events(run.path)[1:]
    assert a["path"] == "m1" and a["bytes"] == 5 and a["sha256"] == b["sha256"] != changed["sha256"]


def test_paths_outside_the_workspace_are_kept_as_given_and_missing_files_warn(workspace, tmp_path, recwarn):
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("h\n1\n")
    run = exptrack.init()
    run.log_dataset(str(outside))
    run.log_artifact("not/there.bin")
    dataset, artifact = read_events(run.path)[1:]
    assert dataset["path"] == str(outside) and dataset["rows"] == 1
    assert artifact == {"t": "artifact", "path": "not/there.bin"}
    assert any("could not read not/there.bin" in str(w.message) for w in recwarn)


def test_a_bad_model_parent_is_dropped_with_a_warning(workspace, recwarn):
    run = exptrack.init()
    run.log_model(None, name="m", parent=("m", "latest"))
    assert read_events(run.path)[1] == {"t": "model", "name": "m"}
    assert any("parent" in str(w.message) for w in recwarn)


def test_events_the_schema_would_reject_are_dropped_with_a_warning(workspace, recwarn):
    run = exptrack.init()
    run.set_tag("", "v")
    run.log_model("out.bin", name="")
    run.log_dataset("")
    run.log_artifact(12345)  # not a path: recorded as text, the read failure warned
    assert read_events(run.path)[1:] == [{"t": "artifact", "path": "12345"}]
    assert len([w for w in recwarn if str(w.message).startswith("exptrack:")]) == 2
