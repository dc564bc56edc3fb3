"""Where a run is written: its own directory, the launcher's run, or a notebook's run."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import exptrack
from conftest import only_run_dir, read_events

RUN_ID = "20261122-014211-a1b2c3d4"


def ancestors_have_exptrack(path):
    return any((p / ".exptrack").exists() for p in Path(path).parents)


def test_the_nearest_exptrack_directory_above_the_working_directory_is_used(workspace, monkeypatch):
    nested = workspace / "src" / "models"
    nested.mkdir(parents=True)
    (nested / "data.csv").write_text("h\n1\n")
    monkeypatch.chdir(nested)
    run = exptrack.init()
    run.log_dataset("data.csv")
    run.finish()
    assert Path(run.path).parent == only_run_dir(workspace / ".exptrack")
    assert read_events(run.path)[1]["path"] == "src/models/data.csv"


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_new_exptrack_directory_goes_to_the_git_top_level(tmp_path, monkeypatch):
    if ancestors_have_exptrack(tmp_path):
        pytest.skip("an .exptrack directory above the temp folder would be found first")
    repo = tmp_path / "repo"
    (repo / "sub").mkdir(parents=True)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    (repo / "train.py").write_text("print(1)\n")
    subprocess.run(git + ["add", "train.py"], cwd=str(repo), check=True)
    subprocess.run(git + ["commit", "-q", "-m", "first"], cwd=str(repo), check=True)
    (repo / "train.py").write_text("print(2)\n")
    monkeypatch.chdir(repo / "sub")
    run = exptrack.init()
    run.finish()
    assert Path(run.dir) == repo / ".exptrack"
    assert (repo / ".exptrack" / ".gitignore").read_text() == "exptrack.sqlite*\n*.tmp\nmlflow-sync.json*\nmlflow-sync.lock\nclaims/\nnotebook-runs.json\n"
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=str(repo), stdout=subprocess.PIPE).stdout.decode().strip()
    assert read_events(run.path)[0]["git"] == {"commit": head, "dirty": True, "branch": "main"}


def test_outside_git_a_new_exptrack_directory_goes_to_the_working_directory(tmp_path, monkeypatch):
    if ancestors_have_exptrack(tmp_path) or shutil.which("git") and subprocess.run(
            ["git", "rev-parse"], cwd=str(tmp_path), stderr=subprocess.DEVNULL).returncode == 0:
        pytest.skip("the temp folder is inside a git repository or below an .exptrack directory")
    monkeypatch.chdir(tmp_path)
    run = exptrack.init()
    run.finish()
    assert Path(run.dir) == tmp_path / ".exptrack"
    assert "git" not in read_events(run.path)[0]


def test_the_dir_argument_beats_the_environment_which_beats_discovery(workspace, tmp_path, monkeypatch):
    monkeypatch.setenv("EXPTRACK_DIR", str(tmp_path / "from-env"))
    assert Path(exptrack.init().dir) == tmp_path / "from-env"
    assert Path(exptrack.init(dir=str(tmp_path / "from-arg")).dir) == tmp_path / "from-arg"


def test_a_new_exptrack_directory_gets_its_gitignore_before_anything_else(tmp_path, monkeypatch):
    """The index that ExpTrack later saves there is never shown as untracked by git, whatever comes next."""
    root = tmp_path / "fresh"
    root.mkdir()
    exptrack_dir = root / ".exptrack"
    created = []
    real_open, real_makedirs = os.open, os.makedirs

    def recording_open(path, flags, *args, **kwargs):
        if flags & os.O_CREAT and not os.path.exists(path):
            created.append(Path(path))
        return real_open(path, flags, *args, **kwargs)

    def recording_makedirs(path, *args, **kwargs):
        missing = [p for p in [Path(path)] + list(Path(path).parents) if not p.exists()]
        created.extend(reversed(missing))
        return real_makedirs(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", recording_open)
    monkeypatch.setattr(os, "makedirs", recording_makedirs)
    exptrack.init(dir=str(exptrack_dir)).finish()
    monkeypatch.undo()
    inside = [p.relative_to(exptrack_dir).as_posix() for p in created if exptrack_dir in p.parents]
    assert inside[0] == ".gitignore", inside
    assert inside[1] == ".gitattributes", inside
    assert (exptrack_dir / ".gitattributes").read_text() == "registry.jsonl merge=union\n"


def test_an_existing_gitattributes_is_left_alone_and_an_existing_folder_gets_none(workspace):
    exptrack.init().finish()
    assert not (workspace / ".exptrack" / ".gitattributes").exists(), "written only with a new folder"
    (workspace / "other" / ".exptrack").mkdir(parents=True)
    (workspace / "other" / ".exptrack" / ".gitattributes").write_text("mine\n")
    exptrack.init(dir=str(workspace / "other" / ".exptrack")).finish()
    assert (workspace / "other" / ".exptrack" / ".gitattributes").read_text() == "mine\n"


def test_an_existing_gitignore_is_left_alone(workspace):
    (workspace / ".exptrack" / ".gitignore").write_text("mine\n")
    exptrack.init().finish()
    assert (workspace / ".exptrack" / ".gitignore").read_text() == "mine\n"


def test_a_launched_process_appends_to_its_run_without_start_or_end(tmp_path, monkeypatch):
    exptrack_dir = tmp_path / "launched" / ".exptrack"
    monkeypatch.setenv("EXPTRACK_DIR", str(exptrack_dir))
    monkeypatch.setenv("EXPTRACK_RUN_ID", RUN_ID)
    with exptrack.init(name="baseline", experiment="churn", params={"lr": 0.1}, dir=str(tmp_path)) as run:
        assert run.attached and run.id == RUN_ID and exptrack.active_run() is run
        run.log({"loss": 1.0})
    assert exptrack.active_run() is None
    events = read_events(exptrack_dir / "runs" / RUN_ID / "events.jsonl")
    assert [e["t"] for e in events] == ["tag", "tag", "params", "metrics"]
    assert events[0] == {"t": "tag", "key": "exptrack.name", "value": "baseline"}
    assert events[1] == {"t": "tag", "key": "exptrack.experiment", "value": "churn"}
    assert not (exptrack_dir / ".gitignore").exists()


def test_a_run_id_without_a_directory_is_not_a_launch(workspace, monkeypatch):
    monkeypatch.setenv("EXPTRACK_RUN_ID", RUN_ID)
    run = exptrack.init()
    assert not run.attached and run.id != RUN_ID


def test_a_vscode_notebook_is_the_source(workspace, monkeypatch):
    monkeypatch.setattr(sys.modules["__main__"], "__vsc_ipynb_file__", str(workspace / "nb" / "train.ipynb"),
                        raising=False)
    run = exptrack.init()
    assert read_events(run.path)[0]["source"] == {"kind": "notebook", "path": "nb/train.ipynb"}


def test_a_notebook_the_extension_tracks_attaches_to_its_run(workspace, tmp_path, monkeypatch):
    notebook = str(workspace / "train.ipynb")
    mapping = tmp_path / "notebook-runs.json"
    mapping.write_text(json.dumps({notebook: RUN_ID, "/other.ipynb": "20260101-000000-00000000"}))
    monkeypatch.setenv("EXPTRACK_NOTEBOOK_RUNS", str(mapping))
    monkeypatch.setattr(sys.modules["__main__"], "__vsc_ipynb_file__", notebook, raising=False)
    run = exptrack.init(name="cell run")
    run.log({"acc": 0.5})
    run.finish()
    assert run.attached and run.path == os.path.join(str(workspace), ".exptrack", "runs", RUN_ID, "events.jsonl")
    assert [e["t"] for e in read_events(run.path)] == ["tag", "metrics"]


def test_without_the_variable_the_map_file_in_the_exptrack_directory_is_used(workspace, tmp_path, monkeypatch):
    notebook = workspace / "nb" / "train.ipynb"
    notebook.parent.mkdir()
    (workspace / ".exptrack" / "notebook-runs.json").write_text(json.dumps({str(notebook): RUN_ID}))
    # The kernel's working directory is elsewhere: the notebook's folder decides the workspace.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setattr(sys.modules["__main__"], "__vsc_ipynb_file__", str(notebook), raising=False)
    run = exptrack.init(experiment="nb")
    run.log({"loss": 0.25}, step=2)
    run.finish()
    assert run.attached and run.id == RUN_ID
    events = read_events(workspace / ".exptrack" / "runs" / RUN_ID / "events.jsonl")
    assert events == [{"t": "tag", "key": "exptrack.experiment", "value": "nb"},
                      {"t": "metrics", "step": 2, "time": events[1]["time"], "values": {"loss": 0.25}}]
    assert not (elsewhere / ".exptrack").exists()


def test_a_notebook_missing_from_the_map_file_gets_its_own_run(workspace, monkeypatch):
    (workspace / ".exptrack" / "notebook-runs.json").write_text(json.dumps({str(workspace / "other.ipynb"): RUN_ID}))
    monkeypatch.setattr(sys.modules["__main__"], "__vsc_ipynb_file__", str(workspace / "a.ipynb"), raising=False)
    run = exptrack.init()
    assert not run.attached and run.id != RUN_ID
    assert read_events(run.path)[0]["source"] == {"kind": "notebook", "path": "a.ipynb"}


def test_an_unreadable_notebook_mapping_means_an_own_run(workspace, tmp_path, monkeypatch):
    (tmp_path / "broken.json").write_text("{not json")
    monkeypatch.setenv("EXPTRACK_NOTEBOOK_RUNS", str(tmp_path / "broken.json"))
    monkeypatch.setattr(sys.modules["__main__"], "__vsc_ipynb_file__", str(workspace / "a.ipynb"), raising=False)
    run = exptrack.init()
    assert not run.attached and read_events(run.path)[0]["t"] == "run"
