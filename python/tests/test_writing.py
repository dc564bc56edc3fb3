"""How the client writes: whole lines under concurrency, and never an exception into training code."""
import subprocess
import sys
import threading
import warnings

import exptrack
from conftest import PYTHON_DIR, read_events

RUN_ID = "20261122-014211-a1b2c3d4"


def test_eight_threads_write_eight_thousand_intact_lines(workspace):
    run = exptrack.init()

    def train(worker):
        for i in range(1000):
            run.log({"worker": worker, "i": i, "padding/" + "x" * 50: 0.125})

    threads = [threading.Thread(target=train, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    run.finish()
    metrics = [e for e in read_events(run.path) if e["t"] == "metrics"]
    assert len(metrics) == 8000
    assert sorted(e["step"] for e in metrics) == list(range(8000))  # each auto step handed out once
    for worker in range(8):
        assert sorted(e["values"]["i"] for e in metrics if e["values"]["worker"] == worker) == list(range(1000))


def test_four_processes_append_to_one_run_without_interleaving(tmp_path):
    exptrack_dir = tmp_path / ".exptrack"
    code = (
        "import sys, exptrack\n"
        "run = exptrack.init()\n"
        "for i in range(1000):\n"
        "    run.log({'proc': int(sys.argv[1]), 'i': i, 'blob': 0.5, 'k' * 300: 1}, step=i)\n"
    )
    env = {"PYTHONPATH": str(PYTHON_DIR), "EXPTRACK_DIR": str(exptrack_dir), "EXPTRACK_RUN_ID": RUN_ID}
    procs = [subprocess.Popen([sys.executable, "-c", code, str(p)], env=env, cwd=str(tmp_path)) for p in range(4)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    events = read_events(exptrack_dir / "runs" / RUN_ID / "events.jsonl")
    assert len(events) == 4000 and {e["t"] for e in events} == {"metrics"}
    for proc in range(4):
        assert [e["step"] for e in events if e["values"]["proc"] == proc] == list(range(1000))


def test_an_unwritable_directory_warns_once_and_training_goes_on(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the .exptrack directory's parent should be")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run = exptrack.init(dir=str(blocker / ".exptrack"), params={"lr": 1})
        for i in range(5):
            run.log({"loss": i})
        run.set_tag("k", "v")
    ours = [w for w in caught if str(w.message).startswith("exptrack:")]
    assert len(ours) == 1 and "could not" in str(ours[0].message)

    # Later calls keep trying: once the directory can be made, the start event comes first.
    blocker.unlink()
    run.log({"loss": 9})
    run.finish()
    assert [e["t"] for e in read_events(run.path)] == ["run", "metrics", "end"]


def test_warnings_turned_into_errors_still_do_not_raise(tmp_path, capfd):
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = exptrack.init(dir=str(blocker / ".exptrack"))
        run.log({"loss": 1})
        run.log({"loss": "not a number"})
        run.finish()
    err = capfd.readouterr().err
    assert err.count("exptrack: could not") == 1 and "exptrack: metric 'loss' is not a number" in err


def test_bad_arguments_warn_instead_of_raising(workspace, recwarn):
    run = exptrack.init(params=["not", "a", "dict"])
    run.log([1, 2, 3])
    run.log({"x": 1}, step="first")
    run.log({"x": 1})
    run.finish(status="crashed")
    events = read_events(run.path)
    assert [e["t"] for e in events] == ["run", "metrics", "metrics", "end"]
    assert [e["step"] for e in events[1:3]] == [0, 1] and events[3]["status"] == "failed"
    assert len([w for w in recwarn if str(w.message).startswith("exptrack:")]) == 4


def test_events_after_finish_are_dropped_with_a_warning(workspace, recwarn):
    run = exptrack.init()
    run.finish()
    run.log({"x": 1})
    run.finish()
    assert [e["t"] for e in read_events(run.path)] == ["run", "end"]
    assert any("has finished" in str(w.message) for w in recwarn)


def test_a_sweep_name_tags_the_run_from_the_argument_or_the_environment(workspace, monkeypatch):
    run = exptrack.init(sweep="lr-search", params={"lr": 0.1})
    run.finish()
    tags = [e for e in read_events(run.path) if e["t"] == "tag"]
    assert tags == [{"t": "tag", "key": "exptrack.sweep", "value": "lr-search"}]
    monkeypatch.setenv("EXPTRACK_SWEEP", "from-env")
    run = exptrack.init()
    run.finish()
    assert [e["value"] for e in read_events(run.path) if e["t"] == "tag"] == ["from-env"]
    run = exptrack.init(sweep="")
    run.finish()
    assert [e for e in read_events(run.path) if e["t"] == "tag"] == []
