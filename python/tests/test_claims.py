"""A script started in a terminal or task the extension watches joins the run the extension records."""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import PYTHON_DIR, read_events, run_python

RUN_ID = "20261122-014211-c1a1c1a1"
SCRIPT = "import exptrack\nexptrack.init(name='joined').log({'loss': 0.5})\n"


def write_claim(workspace, run_id=RUN_ID, start=True, **fields):
    """A claim as the extension writes it; with ``start``, also the run's start event it writes next."""
    claims = workspace / ".exptrack" / "claims"
    claims.mkdir(parents=True, exist_ok=True)
    claim = {"runId": run_id, "cwd": str(workspace), "started": time.time()}
    claim.update(fields)
    name = run_id or "declined-%d" % (time.time() * 1e6)
    (claims / (name + ".json")).write_text(json.dumps(claim))
    if run_id and start:
        write_start(workspace, run_id)
    return claim


def write_start(workspace, run_id):
    run_dir = workspace / ".exptrack" / "runs" / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    with open(run_dir / "events.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps({"t": "run", "v": 1, "id": run_id, "started": time.time()}) + "\n")


def own_runs(workspace):
    runs = workspace / ".exptrack" / "runs"
    return sorted(p.name for p in runs.iterdir()) if runs.exists() else []


def test_a_fresh_claim_for_this_script_and_working_directory_is_joined(workspace):
    write_claim(workspace, script=str(workspace / "train.py"))
    run_python(SCRIPT, workspace, script=workspace / "train.py")
    assert own_runs(workspace) == [RUN_ID]
    events = read_events(workspace / ".exptrack" / "runs" / RUN_ID / "events.jsonl")
    assert [e["t"] for e in events] == ["run", "tag", "metrics"]  # the start (and the end) are the extension's
    assert events[1] == {"t": "tag", "key": "exptrack.name", "value": "joined"}


def test_a_claim_whose_shell_is_an_ancestor_is_joined_from_another_directory(workspace, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    write_claim(workspace, script=str(workspace / "train.py"), pid=os.getpid())
    code = "import os, exptrack\nos.chdir(%r)\nexptrack.init(dir=None).log({'x': 1})\n" % str(elsewhere)
    (workspace / "train.py").write_text(code)
    done = subprocess.run([sys.executable, str(workspace / "train.py")], cwd=str(workspace),
                          env=dict(_clean_env(), EXPTRACK_WATCH_CLAIMS=str(workspace / ".exptrack" / "claims")),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    assert own_runs(workspace) == [RUN_ID]


def test_in_a_multi_root_workspace_the_claim_is_found_in_whichever_folder_it_was_written(tmp_path):
    # EXPTRACK_WATCH_CLAIMS lists every folder's claims; the script runs from outside both folders.
    alpha, beta, elsewhere = tmp_path / "alpha", tmp_path / "beta", tmp_path / "elsewhere"
    for folder in (alpha, beta, elsewhere):
        folder.mkdir()
    (beta / "train.py").write_text(SCRIPT)
    write_claim(beta, script=str(beta / "train.py"), pid=os.getpid())
    watched = os.pathsep.join(str(folder / ".exptrack" / "claims") for folder in (alpha, beta))
    done = subprocess.run([sys.executable, str(beta / "train.py")], cwd=str(elsewhere),
                          env=dict(_clean_env(), EXPTRACK_WATCH_CLAIMS=watched),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    assert own_runs(beta) == [RUN_ID] and own_runs(alpha) == [] and own_runs(elsewhere) == []
    assert [e["t"] for e in read_events(beta / ".exptrack" / "runs" / RUN_ID / "events.jsonl")] == ["run", "tag", "metrics"]


def test_the_client_writes_after_the_start_event_that_the_extension_writes_a_moment_later(workspace):
    (workspace / "train.py").write_text(SCRIPT)
    write_claim(workspace, script=str(workspace / "train.py"), pid=os.getpid(), start=False)
    child = subprocess.Popen([sys.executable, str(workspace / "train.py")], cwd=str(workspace), env=_clean_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.5)  # the git state is being read
    write_start(workspace, RUN_ID)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 0, err.decode()
    events = read_events(workspace / ".exptrack" / "runs" / RUN_ID / "events.jsonl")
    assert [e["t"] for e in events] == ["run", "tag", "metrics"]


def test_a_launch_that_writes_its_start_just_after_launching_is_waited_for(tmp_path):
    env = {"EXPTRACK_DIR": str(tmp_path / ".exptrack"), "EXPTRACK_RUN_ID": RUN_ID, "EXPTRACK_RUN_STARTING": "1"}
    child = subprocess.Popen([sys.executable, "-c", "import exptrack\nexptrack.init(experiment='e').log({'x': 1})\n"],
                             cwd=str(tmp_path), env=dict(_clean_env(), **env), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.5)
    write_start(tmp_path, RUN_ID)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 0, err.decode()
    events = read_events(tmp_path / ".exptrack" / "runs" / RUN_ID / "events.jsonl")
    assert [e["t"] for e in events] == ["run", "tag", "metrics"]


def test_claims_of_other_scripts_other_shells_or_long_ago_are_left_alone(workspace):
    ended = subprocess.Popen(["true"])
    ended.wait()
    write_claim(workspace, run_id="20261122-014211-00000001", start=False, script=str(workspace / "other.py"))
    write_claim(workspace, run_id="20261122-014211-00000002", start=False, script=str(workspace / "train.py"), pid=ended.pid)
    write_claim(workspace, run_id="20261122-014211-00000003", start=False, script=str(workspace / "train.py"), started=time.time() - 120)
    run_python(SCRIPT, workspace, script=workspace / "train.py")
    runs = own_runs(workspace)
    assert len(runs) == 1 and runs[0] not in ("20261122-014211-00000001", "20261122-014211-00000002", "20261122-014211-00000003")
    assert read_events(workspace / ".exptrack" / "runs" / runs[0] / "events.jsonl")[0]["t"] == "run"


def test_in_a_watched_terminal_the_client_waits_for_a_claim_that_comes_just_after_it_starts(workspace):
    (workspace / "train.py").write_text(SCRIPT)
    env = dict(_clean_env(), EXPTRACK_WATCH_CLAIMS=str(workspace / ".exptrack" / "claims"))
    child = subprocess.Popen([sys.executable, str(workspace / "train.py")], cwd=str(workspace), env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.4)
    write_claim(workspace, script=str(workspace / "train.py"), pid=os.getpid())
    _, err = child.communicate(timeout=60)
    assert child.returncode == 0, err.decode()
    assert own_runs(workspace) == [RUN_ID]


def test_a_declined_command_stops_the_wait_and_the_client_starts_its_own_run(workspace):
    write_claim(workspace, run_id=None, pid=os.getpid())
    started = time.time()
    run_python(SCRIPT, workspace, script=workspace / "train.py",
               env_extra={"EXPTRACK_WATCH_CLAIMS": str(workspace / ".exptrack" / "claims")})
    assert time.time() - started < 1.5, "no waiting for a claim that will not come"
    runs = own_runs(workspace)
    assert len(runs) == 1 and runs[0] != RUN_ID


def test_without_a_claim_a_watched_terminal_costs_a_short_wait_and_an_unwatched_one_none(workspace):
    env = {"EXPTRACK_WATCH_CLAIMS": str(workspace / ".exptrack" / "claims")}
    started = time.time()
    run_python(SCRIPT, workspace, script=workspace / "train.py", env_extra=env)
    waited = time.time() - started
    started = time.time()
    run_python(SCRIPT, workspace, script=workspace / "train.py")
    unwatched = time.time() - started
    assert waited >= 2.0 and unwatched < waited - 1.5
    assert len(own_runs(workspace)) == 2
    started = time.time()
    run_python("import exptrack\nexptrack.init()\n", workspace, env_extra=env)  # python -c: never recorded, never waits
    assert time.time() - started < 1.5


def test_a_module_run_joins_a_claim_that_names_the_module(workspace):
    package = workspace / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "train.py").write_text(SCRIPT)
    write_claim(workspace, module="pkg.train", pid=os.getpid())
    done = subprocess.run([sys.executable, "-m", "pkg.train"], cwd=str(workspace), env=_clean_env(),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    assert own_runs(workspace) == [RUN_ID]


def test_an_unreadable_claim_is_skipped(workspace):
    claims = workspace / ".exptrack" / "claims"
    claims.mkdir()
    (claims / "broken.json").write_text("{not json")
    (claims / "list.json").write_text("[1, 2]")
    run_python(SCRIPT, workspace, script=workspace / "train.py")
    assert len(own_runs(workspace)) == 1


def _clean_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXPTRACK_")}
    env["PYTHONPATH"] = str(PYTHON_DIR)
    return env
