"""Shared fixtures: a fresh client state, a clean environment and a workspace per test."""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PYTHON_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PYTHON_DIR))

import exptrack  # noqa: E402


@pytest.fixture(autouse=True)
def fresh_client(monkeypatch):
    """No run leaks between tests, and no launcher variables from the surrounding shell."""
    for name in ("EXPTRACK_RUN_ID", "EXPTRACK_DIR", "EXPTRACK_NOTEBOOK_RUNS", "EXPTRACK_WATCH_CLAIMS", "EXPTRACK_SWEEP"):
        monkeypatch.delenv(name, raising=False)
    yield
    for run in list(exptrack._open_runs):
        run.finish()
    exptrack._active = None


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """A workspace folder with an empty `.exptrack/`, as the working directory."""
    root = tmp_path / "ws"
    (root / ".exptrack").mkdir(parents=True)
    monkeypatch.chdir(root)
    return root


def read_events(path):
    """The events of one events.jsonl file; fails on a line that is not strict JSON."""
    def no_constants(token):
        raise AssertionError("bare %s in JSON" % token)

    text = Path(path).read_text(encoding="utf-8")
    assert text.endswith("\n"), "the last line must be complete"
    return [json.loads(line, parse_constant=no_constants) for line in text.splitlines()]


def run_python(code, cwd, env_extra=None, expect_ok=True, script=None, args=()):
    """Run `code` in a new interpreter that can import exptrack; returns the CompletedProcess.

    With `script` (a path), the code is written there and run as a file, as a user would.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXPTRACK_")}
    env["PYTHONPATH"] = str(PYTHON_DIR)
    env.update(env_extra or {})
    code = textwrap.dedent(code)
    if script is not None:
        Path(script).write_text(code, encoding="utf-8")
        argv = [sys.executable, str(script)]
    else:
        argv = [sys.executable, "-c", code]
    done = subprocess.run(argv + list(args), cwd=str(cwd), env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if expect_ok:
        assert done.returncode == 0, done.stderr.decode()
    return done


def only_run_dir(exptrack_dir):
    """The single run directory under `<exptrack_dir>/runs/`."""
    runs = sorted((Path(exptrack_dir) / "runs").iterdir())
    assert len(runs) == 1, runs
    return runs[0]
