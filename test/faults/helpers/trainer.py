"""A training process for the many-writers fault test: logs metrics through python/exptrack.py
until its time is up, run after run, and prints how many points of each key it logged per run.

usage: python3 trainer.py EXPTRACK_DIR SECONDS SEED
Half of the runs log from two threads at once (the client is thread-safe); the last line of
stdout is JSON: {"runs": {"<run id>": {"<key>": <points>}}, "points": <total>}.
"""
import json
import os
import random
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "python"))
import exptrack  # noqa: E402


def main():
    exptrack_dir, seconds, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    deadline = time.time() + seconds
    written = {}
    while time.time() < deadline:
        run = exptrack.init(name="trainer %d" % seed, experiment="faults", params={"lr": rng.random(), "seed": seed}, dir=exptrack_dir)
        counts = written.setdefault(run.id, {})
        lock = threading.Lock()

        def count(values):
            with lock:
                for key in values:
                    counts[key] = counts.get(key, 0) + 1

        def side_logger(stop):
            # A second thread of the same run (e.g. a GPU monitor): its own key, its own steps.
            step = 0
            while not stop.is_set() and time.time() < deadline:
                run.log({"gpu/util": rng.random()}, step=step)
                count(["gpu/util"])
                step += 1
                time.sleep(0.01)

        stop = threading.Event()
        side = threading.Thread(target=side_logger, args=(stop,)) if rng.random() < 0.5 else None
        if side:
            side.start()
        for step in range(rng.randint(100, 600)):
            if time.time() >= deadline:
                break
            values = {"loss": 1.0 / (step + 1), "acc": rng.random()}
            if step % 10 == 0:
                values["val/loss"] = float("nan") if rng.random() < 0.1 else rng.random()
            run.log(values, step=step)
            count(values)
            time.sleep(0.004)
        stop.set()
        if side:
            side.join()
        run.finish()
    total = sum(n for keys in written.values() for n in keys.values())
    print(json.dumps({"runs": written, "points": total}))


if __name__ == "__main__":
    main()
