"""The client as a pip package: distribution `exptrack-client`, import name `exptrack`, version
equal to the extension's; the wheel and `pip install ./python` give a working client in a fresh
virtual environment, outside the repository."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import exptrack
from conftest import PYTHON_DIR, read_events

REPO = PYTHON_DIR.parent
PACKAGE_VERSION = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["version"]

USE_CLIENT = """
import json, sys, exptrack
run = exptrack.init(name="from-wheel", dir=sys.argv[1])
run.log({"loss": 0.5})
run.finish()
print(json.dumps({"version": exptrack.__version__, "file": exptrack.__file__, "run": run.id}))
"""


def pyproject():
    text = (PYTHON_DIR / "pyproject.toml").read_text(encoding="utf-8")
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        pytest.skip("tomllib needs Python 3.11")
    return tomllib.loads(text)


def test_version_equals_the_extension_version():
    assert exptrack.__version__ == PACKAGE_VERSION, "python/exptrack.py __version__ must equal package.json's version"


def test_distribution_and_import_names():
    meta = pyproject()
    assert meta["project"]["name"] == "exptrack-client"
    assert meta["tool"]["flit"]["module"]["name"] == "exptrack"
    assert meta["project"]["dynamic"] == ["version"], "the version is read from exptrack.__version__"
    assert meta["build-system"]["build-backend"] == "flit_core.buildapi"


def run(argv, **kwargs):
    done = subprocess.run([str(a) for a in argv], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300, **kwargs)
    assert done.returncode == 0, done.stdout.decode(errors="replace")
    return done.stdout.decode()


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """A fresh virtual environment without the client."""
    root = tmp_path_factory.mktemp("client-venv")
    run([sys.executable, "-m", "venv", root / "venv"])
    python = root / "venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    done = subprocess.run([str(python), "-c", "import exptrack"], cwd=str(root), env=clean_env(), stderr=subprocess.PIPE)
    assert done.returncode != 0 and b"No module named 'exptrack'" in done.stderr
    return python


def clean_env():
    """No PYTHONPATH (nothing from the repository) and no launcher variables."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("EXPTRACK_")}


def check_installed_client(python, tmp_path):
    """The installed client imports from the venv's site-packages and records a run."""
    exptrack_dir = tmp_path / "elsewhere" / ".exptrack"
    exptrack_dir.mkdir(parents=True)
    out = run([python, "-c", USE_CLIENT, exptrack_dir], cwd=str(tmp_path / "elsewhere"), env=clean_env())
    facts = json.loads(out.strip().splitlines()[-1])
    assert facts["version"] == PACKAGE_VERSION
    venv_dir = Path(python).parents[1]
    assert Path(facts["file"]).resolve().is_relative_to(venv_dir.resolve()), facts["file"]
    events = read_events(exptrack_dir / "runs" / facts["run"] / "events.jsonl")
    assert [e["t"] for e in events] == ["run", "metrics", "end"]
    assert events[1]["values"] == {"loss": 0.5}


def build_wheel(out_dir):
    has_backend = subprocess.run([sys.executable, "-c", "import flit_core.buildapi"], stderr=subprocess.DEVNULL).returncode == 0
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-q",
         *(["--no-build-isolation"] if has_backend else []), "--wheel-dir", out_dir, PYTHON_DIR])
    return sorted(Path(out_dir).glob("*.whl"))


def test_the_wheel_installs_into_a_fresh_venv_and_imports(venv, tmp_path):
    wheels = build_wheel(tmp_path / "wheels")
    assert [w.name for w in wheels] == ["exptrack_client-%s-py3-none-any.whl" % PACKAGE_VERSION]
    run([venv, "-m", "pip", "install", "--no-deps", "--no-index", "--disable-pip-version-check", "-q", wheels[0]])
    try:
        check_installed_client(venv, tmp_path)
        shown = run([venv, "-m", "pip", "show", "exptrack-client"])
        assert re.search(r"^Version: %s$" % re.escape(PACKAGE_VERSION), shown, re.M), shown
    finally:
        run([venv, "-m", "pip", "uninstall", "-y", "-q", "exptrack-client"])


def test_pip_install_of_the_python_folder_gives_the_same_client(venv, tmp_path):
    run([venv, "-m", "pip", "install", "--no-deps", "--disable-pip-version-check", "-q", PYTHON_DIR])
    try:
        check_installed_client(venv, tmp_path)
        assert not list(PYTHON_DIR.glob("*.egg-info")) and not (PYTHON_DIR / "build").exists(), "the source folder stays clean"
    finally:
        run([venv, "-m", "pip", "uninstall", "-y", "-q", "exptrack-client"])
