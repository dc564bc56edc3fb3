"""How a run ends: context manager, finish(), a second init(), and the process exiting."""
import os

import pytest

import exptrack
from conftest import only_run_dir, read_events, run_python


def end_of(run):
    events = read_events(run.path)
    assert events[-1]["t"] == "end" and [e["t"] for e in events].count("end") == 1
    return events[-1]


def test_a_context_manager_run_ends_finished_failed_or_killed(workspace):
    with exptrack.init() as ok:
        ok.log({"x": 1})
    with pytest.raises(ValueError):
        with exptrack.init() as failed:
            raise ValueError("diverged")
    with pytest.raises(KeyboardInterrupt):
        with exptrack.init() as killed:
            raise KeyboardInterrupt
    assert [end_of(r)["status"] for r in (ok, failed, killed)] == ["finished", "failed", "killed"]


def test_active_run_follows_init_and_finish_and_a_second_init_ends_the_first(workspace):
    assert exptrack.active_run() is None
    first = exptrack.init()
    assert exptrack.active_run() is first
    second = exptrack.init()
    assert exptrack.active_run() is second and first.finished and end_of(first)["status"] == "finished"
    second.finish("killed")
    assert exptrack.active_run() is None and end_of(second)["status"] == "killed"


def test_exiting_normally_finishes_the_run(workspace):
    run_python("import exptrack\nexptrack.init().log({'x': 1})\n", workspace)
    events = read_events(only_run_dir(workspace / ".exptrack") / "events.jsonl")
    assert [e["t"] for e in events] == ["run", "metrics", "end"]
    assert events[-1]["status"] == "finished"


def test_an_uncaught_exception_fails_the_run(workspace):
    done = run_python("import exptrack\nexptrack.init()\nraise RuntimeError('boom')\n", workspace, expect_ok=False)
    assert done.returncode == 1 and b"RuntimeError: boom" in done.stderr  # the original hook still reports it
    end = read_events(only_run_dir(workspace / ".exptrack") / "events.jsonl")[-1]
    assert end["t"] == "end" and end["status"] == "failed" and end["exit"] == 1


def test_a_launched_process_leaves_the_end_to_the_launcher(tmp_path):
    run_python("import exptrack\nexptrack.init().log({'x': 1})\n", tmp_path,
               env_extra={"EXPTRACK_DIR": str(tmp_path / ".exptrack"), "EXPTRACK_RUN_ID": "20261122-014211-a1b2c3d4"})
    events = read_events(tmp_path / ".exptrack" / "runs" / "20261122-014211-a1b2c3d4" / "events.jsonl")
    assert [e["t"] for e in events] == ["metrics"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_exiting_does_not_end_the_parents_run(workspace):
    run_python("""
        import os, sys, exptrack
        run = exptrack.init()
        pid = os.fork()
        if pid == 0:
            run.log({"child": 1})
            sys.exit(0)
        os.waitpid(pid, 0)
        run.log({"parent": 1})
    """, workspace)
    events = read_events(only_run_dir(workspace / ".exptrack") / "events.jsonl")
    assert [e["t"] for e in events] == ["run", "metrics", "metrics", "end"]
    assert "parent" in events[2]["values"]
