"""ExpTrack client: records a training run as append-only JSON lines; standard library only.

Events go to ``<workspace>/.exptrack/runs/<run-id>/events.jsonl`` in the run-event format,
version 1 (src/shared/runEvents.ts). Each event is one line written by one ``os.write`` on an
``O_APPEND`` descriptor, so threads and processes appending to one file never interleave.
Tracking never raises into training code: a failure warns once (``exptrack: ...``) and later
calls keep trying. When the extension or CLI launched the process (``EXPTRACK_RUN_ID`` and
``EXPTRACK_DIR`` set), it writes the run's start and end events and this client only appends.
See python/README.md for usage.
"""
import atexit
import getpass
import hashlib
import json
import math
import os
import platform
import subprocess
import sys
import threading
import time
import warnings

__all__ = ["init", "active_run", "Run"]
__version__ = "0.1.0"

FORMAT_VERSION = 1
_DIR_NAME = ".exptrack"
_NOTEBOOK_RUNS_FILE = "notebook-runs.json"
_GITIGNORE = "exptrack.sqlite*\n*.tmp\nmlflow-sync.json*\nmlflow-sync.lock\nclaims/\nnotebook-runs.json\n"
_GITATTRIBUTES = "registry.jsonl merge=union\n"  # git keeps both branches' registry events
_END_STATUSES = ("finished", "failed", "killed")
_ROW_FILES = (".csv", ".tsv", ".jsonl", ".ndjson", ".jsonlines")
_HEADER_FILES = (".csv", ".tsv")
_CHUNK = 1 << 20

_active = None  # the Run returned by the latest init(), until it finishes
_open_runs = []  # runs this process created and has not finished, for the atexit hook
_registry_lock = threading.Lock()
_uncaught = []  # the type of an exception that reached sys.excepthook, if any
_hooks_installed = False


def init(name=None, experiment=None, params=None, dir=None, system_metrics=False, sweep=None):
    """Start a run (or attach to the one the extension started) and make it the active run.

    ``dir`` is the ``.exptrack`` directory to use; by default ``$EXPTRACK_DIR``, else the nearest
    ``.exptrack/`` above the working directory, else a new one at the git top level or the
    working directory. ``sweep`` names the hyperparameter search the run is a trial of (default
    ``$EXPTRACK_SWEEP``): runs with one sweep name are shown together as a study. An active run
    from an earlier ``init()`` is finished first.

    ``system_metrics=True`` (or a number of seconds, default 5) samples this process and its
    children as ``system/...`` metrics: CPU %, RSS, the machine's memory, disk and network bytes
    per second and, with ``nvidia-smi`` on PATH, each GPU (Linux's /proc; elsewhere nothing). A
    run that ExpTrack launched is already sampled by ExpTrack, so this then does nothing.
    """
    global _active
    _install_hooks()
    previous = _active
    if previous is not None and not previous.finished:
        previous.finish()
    run = Run(name=name, experiment=experiment, dir=dir)
    sweep = sweep if sweep is not None else os.environ.get("EXPTRACK_SWEEP")
    if sweep:
        run.set_tag("exptrack.sweep", sweep)
    if params:
        run.log_params(params)
    if system_metrics:
        run._start_system_metrics(5.0 if system_metrics is True else system_metrics)
    with _registry_lock:
        _active = run
        _open_runs.append(run)
    return run


def active_run():
    """The run started by the latest ``init()``, or None once it has finished."""
    return _active


class Run:
    """One run's event log. Create it with :func:`init`; every method is thread-safe."""

    def __init__(self, name=None, experiment=None, dir=None):
        self._lock = threading.RLock()  # re-entrant: a signal handler may log mid-write
        self._fd = None
        self._pending = b""  # the start event, kept until a write succeeds so it comes first
        self._warned = set()
        self._next_step = 0
        self._sampler = None
        self._pid = os.getpid()
        self.finished = False
        self.name, self.experiment = name, experiment
        notebook = _notebook_path()
        attach_id = os.environ.get("EXPTRACK_RUN_ID") if os.environ.get("EXPTRACK_DIR") else None
        if attach_id:
            exptrack_dir = os.environ["EXPTRACK_DIR"]
            if os.environ.get(_STARTING_ENV):
                _wait_for_run_start(exptrack_dir, attach_id)
        else:
            # A notebook's kernel may run anywhere (os.chdir, %cd): its workspace is where the notebook is.
            exptrack_dir = dir or os.environ.get("EXPTRACK_DIR") or _find_exptrack_dir(
                os.path.dirname(os.path.abspath(notebook)) if notebook else None)
            if notebook:
                attach_id = _notebook_run_id(notebook, exptrack_dir)
            elif not dir:
                attach_id, exptrack_dir = _claimed_run(exptrack_dir)
        self.dir = os.path.abspath(exptrack_dir)
        self.workspace = os.path.dirname(self.dir)
        #: True when the extension/CLI owns the run's start and end events.
        self.attached = bool(attach_id)
        self.id = attach_id or _new_run_id()
        self.path = os.path.join(self.dir, "runs", self.id, "events.jsonl")
        if self.attached:
            if name is not None:
                self.set_tag("exptrack.name", name)
            if experiment is not None:
                self.set_tag("exptrack.experiment", experiment)
            return
        start = {"t": "run", "v": FORMAT_VERSION, "id": self.id, "started": time.time()}
        try:
            start.update(self._describe(name, experiment, notebook))
        except Exception as e:  # an odd interpreter (no argv, deleted cwd): keep the bare start event
            self._warn("describe", "run details incomplete: %s" % e)
        self._pending = _encode(start)
        self._emit(None)

    def _describe(self, name, experiment, notebook):
        """The optional fields of the start event: names, source, command, cwd, git, env, user."""
        info = {}
        if name is not None:
            info["name"] = str(name)
        if experiment is not None:
            info["experiment"] = str(experiment)
        argv = [str(a) for a in (getattr(sys, "argv", None) or [])]
        if notebook:
            info["source"] = {"kind": "notebook", "path": self._rel(notebook)}
        else:
            info["source"] = {"kind": "client"}
            if argv and argv[0] and os.path.isfile(argv[0]):
                info["source"]["path"] = self._rel(argv[0])
        info["command"] = [os.path.basename(sys.executable or "") or "python"] + argv
        info["cwd"] = os.getcwd()
        git = _git_info(self.workspace)
        if git:
            info["git"] = git
        info["env"] = {"python": platform.python_version()}
        try:
            info["user"] = getpass.getuser()
        except Exception:  # no login name (some containers)
            pass
        return info

    # -- public API -------------------------------------------------------------------------

    def log(self, values, step=None, slice=None):
        """Log metrics at ``step`` (default: one past the highest step so far, starting at 0).

        Numbers, bools and scalars with ``.item()`` or ``__float__`` (numpy, torch) are kept;
        NaN and infinities are written as "NaN", "Infinity", "-Infinity"; nested dicts become
        "outer/inner" keys; anything else is skipped with one warning per key.

        ``slice`` (e.g. ``{"sex": "F", "age": "30-40"}``) says the values were measured on that
        slice of the data, not overall; a ``count`` value gives the slice's example count. A sliced
        log without a step is at the latest step so far and does not move the step on.
        """
        slice_key = None
        if slice is not None:
            try:
                slice_key = {str(k): str(v) for k, v in slice.items()}
            except Exception as e:
                self._warn("slice", "log() slice must be a dict of column to value: %s; values skipped" % e)
                return
        try:
            flat = {}
            _flatten(values, "", flat)
            clean = {}
            for key, value in flat.items():
                number = _to_number(value)
                if number is None:
                    self._warn("metric:" + key, "metric %r is not a number (%s); skipped"
                               % (key, type(value).__name__))
                else:
                    clean[key] = number
        except Exception as e:  # not a mapping
            self._warn("log", "log() needs a dict of metrics: %s" % e)
            return
        try:
            explicit = None if step is None else int(step)
        except Exception:
            self._warn("step", "step %r is not an int; counting on instead" % (step,))
            explicit = None
        with self._lock:
            if slice_key is not None:
                if explicit is None:
                    explicit = max(self._next_step - 1, 0)
            else:
                if explicit is None:
                    explicit = self._next_step
                self._next_step = max(self._next_step, explicit + 1)
            if clean:
                event = {"t": "metrics", "step": explicit, "time": time.time(), "values": clean}
                if slice_key is not None:
                    event["slice"] = slice_key
                self._write_locked(event)

    def log_params(self, values):
        """Log parameters; JSON values (nested dicts and lists too) are kept, others as ``str()``."""
        try:
            params = {str(k): _jsonable(v) for k, v in values.items()}
        except Exception as e:
            self._warn("params", "log_params() ignored: %s" % e)
            return
        self._emit({"t": "params", "values": params})

    def log_dataset(self, path, role="train"):
        """Record a dataset the run read: path, role, sha256, bytes and (for csv/tsv/jsonl) rows."""
        self._log_file({"t": "dataset", "path": self._rel(path), "role": str(role)}, path, True)

    def log_artifact(self, path):
        """Record a file (or directory) the run produced: path, sha256 and bytes."""
        self._log_file({"t": "artifact", "path": self._rel(path)}, path, False)

    def log_model(self, path, name, parent=None, derivation=None):
        """Record a model the run produced, to become a version of the registered model ``name``.

        ``parent`` is the version it was derived from, ``{"name": ..., "version": ...}`` or a
        ``(name, version)`` tuple; ``derivation`` says how (e.g. "fine-tuned", "quantized").
        """
        event = {"t": "model", "name": str(name)}
        if path is not None:
            event["path"] = self._rel(path)
        if parent is not None:
            try:
                if isinstance(parent, dict):
                    parent = (parent["name"], parent["version"])
                parent_name, parent_version = parent
                event["parent"] = {"name": str(parent_name), "version": int(parent_version)}
            except Exception as e:
                self._warn("parent", "log_model() parent %r ignored: %s" % (parent, e))
        if derivation is not None:
            event["derivation"] = str(derivation)
        self._log_file(event, path, False)

    def set_tag(self, key, value):
        """Set a string tag on the run (later values for the same key win)."""
        self._emit({"t": "tag", "key": str(key), "value": str(value)})

    def finish(self, status="finished"):
        """End the run with status "finished", "failed" or "killed"; later calls are ignored.

        A run the extension started gets its end event from the extension, so here this only
        closes the file.
        """
        global _active
        if status not in _END_STATUSES:
            self._warn("status", "unknown status %r; using 'failed'" % (status,))
            status = "failed"
        if self._sampler is not None:
            self._sampler.stop()
        with self._lock:
            if self.finished:
                return
            if not self.attached:
                exit_code = 1 if status == "failed" and _uncaught else None
                self._write_locked({"t": "end", "status": status, "exit": exit_code, "ended": time.time()})
            self.finished = True
            self._close()
        with _registry_lock:
            if self in _open_runs:
                _open_runs.remove(self)
            if _active is self:
                _active = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.finish("finished")
        else:
            self.finish("killed" if issubclass(exc_type, KeyboardInterrupt) else "failed")
        return False

    def __repr__(self):
        return "<exptrack.Run %s %s>" % (self.id, "finished" if self.finished else "running")

    # -- internals --------------------------------------------------------------------------

    def _start_system_metrics(self, interval):
        try:
            interval = float(interval)
        except Exception:
            self._warn("system_metrics", "system_metrics must be True or seconds; not sampled")
            return
        try:
            launcher = float(os.environ.get(_SYSTEM_METRICS_ENV, "0") or 0)
        except ValueError:
            launcher = 0
        if self.attached and launcher > 0 or interval <= 0 or not os.path.isdir("/proc/self"):
            return
        self._sampler = _SystemSampler(self, interval)

    def _write_system(self, values, step):
        with self._lock:
            if not self.finished:
                self._write_locked({"t": "metrics", "step": step, "time": time.time(), "values": values})

    def _log_file(self, event, path, count_rows):
        if self._incomplete(event):
            return
        if path is not None:
            try:
                event.update(_file_facts(os.fsdecode(os.fspath(path)), count_rows))
            except Exception as e:
                self._warn("file:" + str(path), "could not read %s: %s" % (path, e))
        self._emit(event)

    def _incomplete(self, event):
        """True (with a warning) when a field the schema needs non-empty is empty."""
        empty = [f for f in ("path", "name", "key") if event is not None and f in event and not event[f]]
        if empty:
            self._warn("empty", "%s event with an empty %s dropped" % (event["t"], empty[0]))
        return bool(empty)

    def _emit(self, event):
        if not self._incomplete(event):
            with self._lock:
                self._write_locked(event)

    def _write_locked(self, event):
        """Serialise and append one event (None: only the pending start event). Caller holds the lock."""
        if self.finished:
            self._warn("finished", "run %s has finished; further events are dropped" % self.id)
            return
        try:
            data = self._pending + (_encode(event) if event is not None else b"")
            if not data:
                return
            if self._fd is None:
                self._ensure_dir()
                self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            written = os.write(self._fd, data)
            if written != len(data):
                raise OSError("short write (%d of %d bytes)" % (written, len(data)))
            self._pending = b""
        except Exception as e:
            self._warn("write", "could not write to %s: %s" % (self.path, e))
            self._close()  # reopen on the next call

    def _close(self):
        if self._fd is not None:
            try:
                os.close(self._fd)
            except OSError:
                pass
            self._fd = None

    def _ensure_dir(self):
        """Create ``runs/<id>/``; an own run's ``.exptrack/`` gets its ``.gitignore`` before anything
        else (and, when new, the registry's ``.gitattributes``). Warn on failure."""
        try:
            if not self.attached:
                created = not os.path.isdir(self.dir)
                os.makedirs(self.dir, exist_ok=True)
                _write_new_file(os.path.join(self.dir, ".gitignore"), _GITIGNORE)
                if created:
                    _write_new_file(os.path.join(self.dir, ".gitattributes"), _GITATTRIBUTES)
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
        except Exception as e:
            self._warn("write", "could not create %s: %s" % (os.path.dirname(self.path), e))

    def _rel(self, path):
        """``path`` relative to the workspace with forward slashes, or as given when outside it."""
        try:
            given = os.fsdecode(os.fspath(path))
            for resolve in (os.path.abspath, os.path.realpath) if given else ():
                full, root = resolve(given), resolve(self.workspace)
                if full == root or full.startswith(root.rstrip(os.sep) + os.sep):
                    return os.path.relpath(full, root).replace(os.sep, "/")
            return given
        except Exception:  # not a path at all
            return str(path)

    def _warn(self, kind, message):
        """Warn once per kind of problem; never raise (even under ``-W error``)."""
        if kind in self._warned:
            return
        self._warned.add(kind)
        try:
            warnings.warn("exptrack: " + message, RuntimeWarning, stacklevel=3)
        except Exception:
            try:
                sys.stderr.write("exptrack: %s\n" % message)
            except Exception:
                pass


# -- system metrics -------------------------------------------------------------------------

_SYSTEM_METRICS_ENV = "EXPTRACK_SYSTEM_METRICS_INTERVAL"
_TICKS = 100.0  # USER_HZ, fixed at 100 on Linux
_NVIDIA_SMI_ARGS = ["--query-gpu=index,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw",
                    "--format=csv,noheader,nounits"]
_GPU_FIELDS = ("utilization_percent", "memory_used_mb", "memory_total_mb", "temperature_c", "power_w")


class _SystemSampler:
    """Samples this process's tree and the machine on a daemon thread, as ExpTrack's capture does
    (src/core/systemMetrics): what cannot be read is left out of the sample, never an error."""

    def __init__(self, run, interval):
        import shutil
        self._run, self._interval = run, interval
        self._stopped = threading.Event()
        self._nvidia_smi = shutil.which("nvidia-smi")
        self._previous = None
        self._step = 0
        self._thread = threading.Thread(target=self._loop, name="exptrack-system-metrics", daemon=True)
        self._thread.start()

    def stop(self):
        self._stopped.set()

    def _loop(self):
        try:
            self._sample()  # the baseline of rates
            while not self._stopped.wait(self._interval):
                values = self._sample()
                if values and not self._stopped.is_set():
                    self._run._write_system(values, self._step)
                    self._step += 1
        except Exception:
            pass  # sampling is a courtesy: never disturb training

    def _sample(self):
        now = time.monotonic()
        values = {}
        cpu, rss = {}, 0
        for pid in _process_tree(os.getpid()):
            stat = _read("/proc/%d/stat" % pid)
            fields = stat[stat.rfind(")") + 2:].split() if stat else []
            if len(fields) < 20:
                continue
            cpu[pid] = (int(fields[11]) + int(fields[12]), fields[19])
            status = _read("/proc/%d/status" % pid) or ""
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    rss += int(line.split()[1]) * 1024
        if cpu:
            values["system/rss_mb"] = rss / 1048576.0
        mem = _meminfo()
        if mem:
            values["system/memory_used_mb"] = (mem[0] - mem[1]) / 1048576.0
            values["system/memory_percent"] = 100.0 * (mem[0] - mem[1]) / mem[0]
        disk, net = _disk_bytes(), _net_bytes()
        prev = self._previous
        if prev is not None and now > prev[0]:
            seconds = now - prev[0]
            ticks = 0
            for pid, (total, start) in cpu.items():
                before = prev[1].get(pid)
                ticks += max(0, total - before[0]) if before and before[1] == start else total
            values["system/cpu_percent"] = 100.0 * ticks / _TICKS / seconds
            for name, now_bytes, before in (("disk_read", disk and disk[0], prev[2] and prev[2][0]),
                                             ("disk_write", disk and disk[1], prev[2] and prev[2][1]),
                                             ("network_receive", net and net[0], prev[3] and prev[3][0]),
                                             ("network_transmit", net and net[1], prev[3] and prev[3][1])):
                if now_bytes is not None and before is not None:
                    values["system/%s_bytes_per_s" % name] = max(0, now_bytes - before) / seconds
        values.update(self._gpus())
        self._previous = (now, cpu, disk, net)
        return values

    def _gpus(self):
        if not self._nvidia_smi:
            return {}
        try:
            out = subprocess.run([self._nvidia_smi] + _NVIDIA_SMI_ARGS, capture_output=True, text=True,
                                 timeout=10, check=True).stdout
            values = {}
            for line in out.strip().splitlines():
                fields = [f.strip() for f in line.split(",")]
                index = int(fields[0])
                if len(fields) != len(_GPU_FIELDS) + 1 or index < 0:
                    raise ValueError(line)
                for name, text in zip(_GPU_FIELDS, fields[1:]):
                    if not text.startswith("["):  # [N/A], [Not Supported]
                        values["system/gpu%d/%s" % (index, name)] = float(text)
                used = values.get("system/gpu%d/memory_used_mb" % index)
                total = values.get("system/gpu%d/memory_total_mb" % index)
                if used is not None and total:
                    values["system/gpu%d/memory_percent" % index] = 100.0 * used / total
            return values
        except Exception:
            self._nvidia_smi = None  # it will not get better: no GPU series from here on
            return {}


def _read(path):
    try:
        with open(path) as f:
            return f.read()
    except Exception:
        return None


def _process_tree(root):
    found, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        if pid in found:
            continue
        found.append(pid)
        try:
            tids = os.listdir("/proc/%d/task" % pid)
        except OSError:
            continue
        for tid in tids:
            frontier.extend(int(w) for w in (_read("/proc/%d/task/%s/children" % (pid, tid)) or "").split())
    return found


def _meminfo():
    text = _read("/proc/meminfo") or ""
    kb = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in ("MemTotal:", "MemAvailable:"):
            kb[parts[0]] = int(parts[1]) * 1024
    if "MemTotal:" in kb and "MemAvailable:" in kb and kb["MemTotal:"] > 0:
        return kb["MemTotal:"], kb["MemAvailable:"]
    return None


def _disk_bytes():
    try:
        disks = {d for d in os.listdir("/sys/block") if os.path.exists("/sys/block/%s/device" % d)}
    except OSError:
        return None
    text = _read("/proc/diskstats")
    if not text or not disks:
        return None
    read = written = 0
    for line in text.splitlines():
        f = line.split()
        if len(f) >= 10 and f[2] in disks:
            read += int(f[5]) * 512
            written += int(f[9]) * 512
    return read, written


def _net_bytes():
    text = _read("/proc/net/dev")
    if not text:
        return None
    received = sent = 0
    for line in text.splitlines():
        if ":" not in line:
            continue
        name, rest = line.split(":", 1)
        f = rest.split()
        if name.strip() != "lo" and len(f) >= 9:
            received += int(f[0])
            sent += int(f[8])
    return received, sent


# -- values ---------------------------------------------------------------------------------

_NON_FINITE = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def _encode(event):
    """One JSON line; ``allow_nan=False`` because bare NaN/Infinity are not JSON."""
    return (json.dumps(event, separators=(",", ":"), allow_nan=False) + "\n").encode("utf-8")


def _float_token(x):
    return x if math.isfinite(x) else _NON_FINITE[repr(x)]


def _to_number(value):
    """A metric value as int, finite float or non-finite token; None when it is not numeric."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return _float_token(float(value))
    if isinstance(value, (str, bytes)):
        return None
    item = getattr(value, "item", None)
    if callable(item):  # numpy scalars, 0-d arrays, torch tensors with one element
        try:
            inner = item()
        except Exception:
            return None
        return _to_number(inner) if isinstance(inner, (bool, int, float)) else None
    if hasattr(type(value), "__float__"):  # Decimal, Fraction, ...
        try:
            return _float_token(float(value))
        except Exception:
            return None
    return None


def _flatten(values, prefix, out):
    for key, value in values.items():
        name = prefix + str(key)
        if isinstance(value, dict):
            _flatten(value, name + "/", out)
        else:
            out[name] = value


def _jsonable(value, depth=0):
    """A parameter value as JSON: containers kept, numpy-like scalars unwrapped, the rest ``str()``."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return _float_token(float(value))
    if depth > 32:
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, depth + 1) for v in value]
    for unwrap in ("tolist", "item"):  # numpy scalars and arrays, torch tensors
        method = getattr(value, unwrap, None)
        if callable(method):
            try:
                inner = method()
                if isinstance(inner, (bool, int, float, str, list)):
                    return _jsonable(inner, depth + 1)
            except Exception:
                pass
    return str(value)


# -- files ----------------------------------------------------------------------------------

def _file_facts(path, count_rows):
    """sha256 and bytes of a file (rows for line-based data), or of a directory's files in order."""
    if os.path.isdir(path):
        digest, total = hashlib.sha256(), 0
        for root, dirs, files in os.walk(path):
            dirs.sort()
            for name in sorted(files):
                full = os.path.join(root, name)
                facts = _file_facts(full, False)
                rel = os.path.relpath(full, path).replace(os.sep, "/")
                digest.update(("%s\0%s\n" % (rel, facts["sha256"])).encode("utf-8"))
                total += facts["bytes"]
        return {"sha256": digest.hexdigest(), "bytes": total}
    digest, size, newlines, last = hashlib.sha256(), 0, 0, b"\n"
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
            newlines += chunk.count(b"\n")
            last = chunk[-1:]
    facts = {"sha256": digest.hexdigest(), "bytes": size}
    lower = path.lower()
    if count_rows and lower.endswith(_ROW_FILES):
        rows = newlines + (1 if last != b"\n" else 0)  # a last line without "\n" still counts
        if lower.endswith(_HEADER_FILES):
            rows -= 1
        facts["rows"] = max(rows, 0)
    return facts


def _write_new_file(path, text):
    """Write ``path`` unless it exists (O_EXCL: two processes starting at once cannot both write)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return
    try:
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)


# -- environment ----------------------------------------------------------------------------

def _new_run_id():
    """UTC start time and 8 random hex digits, e.g. ``20261122-014211-a1b2c3d4``."""
    return time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + "-" + os.urandom(4).hex()


def _git(args, cwd):
    """Output of a quick git command, or None on any failure (no git, not a repo, timeout)."""
    try:
        env = dict(os.environ, GIT_OPTIONAL_LOCKS="0")  # never take the index lock
        out = subprocess.run(["git"] + args, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=3)
        return out.stdout.decode("utf-8", "replace").strip() if out.returncode == 0 else None
    except Exception:
        return None


def _git_info(cwd):
    info = {}
    commit = _git(["rev-parse", "HEAD"], cwd)
    if commit:
        info["commit"] = commit
        status = _git(["status", "--porcelain", "--untracked-files=no"], cwd)
        if status is not None:
            info["dirty"] = bool(status)
    branch = _git(["symbolic-ref", "--short", "-q", "HEAD"], cwd)
    if branch:
        info["branch"] = branch
    return info


def _find_exptrack_dir(start=None):
    """The nearest ``.exptrack/`` from ``start`` (default: the working directory) up, else one at the git top level or there."""
    here = current = start or os.getcwd()
    while not os.path.isdir(os.path.join(current, _DIR_NAME)):
        if os.path.dirname(current) == current:
            return os.path.join(_git(["rev-parse", "--show-toplevel"], here) or here, _DIR_NAME)
        current = os.path.dirname(current)
    return os.path.join(current, _DIR_NAME)


def _notebook_path():
    """The notebook's path when running in a VS Code notebook kernel (VS Code sets this global)."""
    path = getattr(sys.modules.get("__main__"), "__vsc_ipynb_file__", None)
    return str(path) if path else None


def _notebook_run_id(notebook, exptrack_dir):
    """The run the extension records for this notebook, from ``$EXPTRACK_NOTEBOOK_RUNS``, else from
    ``<exptrack_dir>/notebook-runs.json`` (the extension cannot set a kernel's environment, so it
    keeps that file current instead)."""
    mapping_file = os.environ.get("EXPTRACK_NOTEBOOK_RUNS") or os.path.join(exptrack_dir, _NOTEBOOK_RUNS_FILE)
    if not os.path.isfile(mapping_file):
        return None
    try:
        with open(mapping_file, encoding="utf-8") as f:
            mapping = json.load(f)
        for key in (notebook, os.path.abspath(notebook), os.path.realpath(notebook)):
            if isinstance(mapping.get(key), str) and mapping[key]:
                return mapping[key]
    except Exception:
        pass
    return None


# -- claims: runs the extension records for a terminal or task --------------------------------

_CLAIMS_ENV = "EXPTRACK_WATCH_CLAIMS"  # set by the extension in the terminals and tasks it watches (claims folders, os.pathsep-separated)
_CLAIM_MAX_AGE = 30.0  # seconds: an older claim belongs to some other, earlier command
_CLAIM_WAIT = 2.0  # seconds to wait in a watched terminal, which reports a command only as it starts
_CLAIM_POLL = 0.05
_STARTING_ENV = "EXPTRACK_RUN_STARTING"  # set with EXPTRACK_RUN_ID when the launcher writes the start just after launching
_START_WAIT = 5.0  # seconds to wait for the launcher's start event, so it stays the first line


def _claimed_run(exptrack_dir):
    """``(run id, .exptrack dir)`` of the run the extension records for this process, else ``(None, exptrack_dir)``.

    When the extension sees a training command start in a terminal or task it watches, it writes
    ``.exptrack/claims/<run-id>.json`` (``{"runId", "cwd", "script" | "module", "started", "pid"}``,
    see src/core/capture/runClaims.ts). A claim is this process's when it is fresh, names this
    script (or module), and its ``pid`` (the shell) is this process or an ancestor — or, where
    ancestors cannot be read, its ``cwd`` is the working directory. A claim with ``runId: null``
    says the command is not recorded: the client stops waiting and starts its own run.
    """
    me = _this_program()
    watched = os.environ.get(_CLAIMS_ENV)
    if me is None:
        return None, exptrack_dir
    folders = [f for f in watched.split(os.pathsep) if f] if watched else []
    folders.append(os.path.join(exptrack_dir, "claims"))
    ancestors = _ancestor_pids()
    deadline = time.time() + (_CLAIM_WAIT if watched else 0.0)
    while True:
        for folder in folders:
            claim = _matching_claim(folder, me, ancestors)
            if claim is not None:
                run_id = claim.get("runId")
                if not isinstance(run_id, str) or not run_id:
                    return None, exptrack_dir
                claimed_dir = os.path.dirname(os.path.abspath(folder))
                _wait_for_run_start(claimed_dir, run_id)
                return run_id, claimed_dir
        if time.time() >= deadline:
            return None, exptrack_dir
        time.sleep(_CLAIM_POLL)


def _wait_for_run_start(exptrack_dir, run_id):
    """Wait (at most ``_START_WAIT`` s) until the launcher has written the run's first event.

    A terminal, task or debug session is recorded as it starts, while this process is starting
    too; the launcher's ``run`` event (it needs the git state) must come before this client's
    events, or the run's start would override what the client sets (e.g. the experiment).
    """
    path = os.path.join(exptrack_dir, "runs", run_id, "events.jsonl")
    deadline = time.time() + _START_WAIT
    while time.time() < deadline:
        try:
            if os.path.getsize(path) > 0:
                return
        except OSError:
            pass
        time.sleep(0.02)


def _this_program():
    """``("script", abs path)`` or ``("module", name)`` this interpreter runs; None for ``-c``, stdin, a REPL."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    name = getattr(spec, "name", None)
    if name:
        return ("module", name[:-len(".__main__")] if name.endswith(".__main__") else name)
    path = getattr(main, "__file__", None) or (sys.argv[0] if getattr(sys, "argv", None) else "")
    if not path or path in ("-c", "-") or not os.path.isfile(path):
        return None
    return ("script", os.path.realpath(path))


def _matching_claim(folder, me, ancestors):
    """The newest fresh claim in ``folder`` that is this process's, or None."""
    try:
        names = [n for n in os.listdir(folder) if n.endswith(".json")]
    except OSError:
        return None
    now, best = time.time(), None
    for name in names:
        try:
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                claim = json.load(f)
            started = float(claim["started"])
        except Exception:  # removed meanwhile, or not a claim
            continue
        if not (-5.0 <= now - started <= _CLAIM_MAX_AGE):
            continue
        if claim.get("runId") is not None and not _claim_names(claim, me):
            continue
        pid = claim.get("pid")
        if isinstance(pid, int) and ancestors is not None:
            if pid not in ancestors:
                continue
        elif not _same_dir(claim.get("cwd"), os.getcwd()):
            continue
        if best is None or started > float(best["started"]):
            best = claim
    return best


def _claim_names(claim, me):
    kind, value = me
    if kind == "module":
        return claim.get("module") == value
    script = claim.get("script")
    return isinstance(script, str) and os.path.realpath(script) == value


def _same_dir(a, b):
    try:
        return isinstance(a, str) and os.path.realpath(a) == os.path.realpath(b)
    except Exception:
        return False


def _ancestor_pids():
    """This process and its ancestors' ids (from /proc, else ``ps``), or None when they cannot be read."""
    parents = {}
    try:
        pid = os.getpid()
        chain = [pid]
        while pid > 1 and len(chain) < 64:
            with open("/proc/%d/stat" % pid, "rb") as f:
                stat = f.read().decode("utf-8", "replace")
            pid = int(stat.rsplit(")", 1)[1].split()[1])  # the field after the command name is the parent
            chain.append(pid)
        return set(chain)
    except Exception:
        pass
    try:
        out = subprocess.run(["ps", "-A", "-o", "pid=,ppid="], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, timeout=3).stdout.decode()
        for line in out.splitlines():
            child, parent = line.split()
            parents[int(child)] = int(parent)
        pid, chain = os.getpid(), set()
        while pid not in chain and pid > 0:
            chain.add(pid)
            pid = parents.get(pid, 0)
        return chain if len(chain) > 1 else None
    except Exception:
        return None


# -- process exit ---------------------------------------------------------------------------

def _install_hooks():
    """Remember uncaught exceptions and finish open runs at exit (no signal handlers: the app owns those)."""
    global _hooks_installed
    with _registry_lock:
        if _hooks_installed:
            return
        _hooks_installed = True
    previous = sys.excepthook

    def excepthook(exc_type, exc, tb):
        _uncaught.append(exc_type)
        previous(exc_type, exc, tb)

    sys.excepthook = excepthook
    atexit.register(_finish_at_exit)


def _finish_at_exit():
    if not _uncaught and getattr(sys, "last_type", None) is not None:
        _uncaught.append(sys.last_type)  # reported without our hook (another hook replaced it)
    status = "finished"
    if _uncaught:
        status = "killed" if issubclass(_uncaught[-1], KeyboardInterrupt) else "failed"
    with _registry_lock:
        runs = [r for r in _open_runs if r._pid == os.getpid()]  # a forked child does not end its parent's run
    for run in runs:
        run.finish(status)
