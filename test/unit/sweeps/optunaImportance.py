"""Optuna's own answers for test/unit/sweeps/importance.optuna.test.ts, as JSON on stdout.

Modes (a JSON request on stdin):
  {"mode": "storage", "url": ...}      every study of a journal file or SQLite storage: its
                                       importances per objective and its best trials
  {"mode": "trials", "studies": [...]} studies rebuilt from trials ExpTrack read (params with
                                       their distributions, values), e.g. KerasTuner's
  {"mode": "generate", "dir": ..., "seed": n, "count": n}
                                       writes random studies to journal files (random sampler,
                                       every kind of distribution, conditional parameters) and
                                       answers for each as "storage" does, with its file
Importances are get_param_importances with Optuna's default evaluator; with several objectives,
one per objective (target=values[i], negated when maximised), as ExpTrack computes them.
"""
import json
import math
import os
import random
import sys
import warnings

import optuna
from optuna.distributions import json_to_distribution
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalFileBackend

warnings.filterwarnings("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)


def wire(v):
    if v is None:
        return None
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def describe(study):
    directions = study.directions
    out = {"name": study.study_name, "importances": []}
    complete = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    for i, d in enumerate(directions):
        sign = -1.0 if d == optuna.study.StudyDirection.MAXIMIZE else 1.0
        try:
            if len(directions) == 1:
                imp = optuna.importance.get_param_importances(study)
            else:
                imp = optuna.importance.get_param_importances(study, target=lambda t, i=i, s=sign: s * t.values[i])
            out["importances"].append([[k, v] for k, v in imp.items()])
        except Exception as e:  # too few trials and the like
            out["importances"].append({"error": str(e)})
    best = study.best_trials if len(directions) > 1 else ([study.best_trial] if complete else [])
    out["best"] = sorted(t.number for t in best)
    return out


def storage_of(url):
    return url if "://" in url else JournalStorage(JournalFileBackend(url))


def rebuild(spec):
    study = optuna.create_study(directions=spec["directions"])
    trials = []
    for t in spec["trials"]:
        dists = {k: json_to_distribution(json.dumps(v)) for k, v in t["distributions"].items()}
        values = [float(v) if not isinstance(v, str) else float(v.replace("Infinity", "inf")) for v in t["values"]]
        trials.append(optuna.trial.create_trial(params=t["params"], distributions=dists, values=values))
    study.add_trials(trials)
    return study


def generate(directory, seed, count):
    rng = random.Random(seed)
    answers = []
    for n in range(count):
        path = os.path.join(directory, f"optuna_journal_{n}.log")
        storage = JournalStorage(JournalFileBackend(path))
        maximize = rng.random() < 0.5
        weights = [rng.uniform(0.1, 10) ** 2 for _ in range(6)]

        def objective(trial, weights=weights, maximize=maximize):
            x = trial.suggest_float("x", -5, 5)
            lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
            drop = trial.suggest_float("drop", 0.0, 0.5, step=0.05)
            layers = trial.suggest_int("layers", 1, 8)
            width = trial.suggest_int("width", 16, 1024, log=True)
            opt = trial.suggest_categorical("opt", ["adam", "sgd", "rmsprop"])
            loss = weights[0] * x * x + weights[1] * (math.log10(lr) + 3) ** 2 + weights[2] * drop + weights[3] * abs(layers - 4)
            loss += weights[4] * math.log2(width) / 10 + weights[5] * {"adam": 0, "sgd": 1, "rmsprop": 0.5}[opt]
            if opt == "sgd":
                loss += trial.suggest_float("momentum", 0.0, 0.99)
            return -loss if maximize else loss

        study = optuna.create_study(study_name=f"generated-{n}", storage=storage, direction="maximize" if maximize else "minimize",
                                    sampler=optuna.samplers.RandomSampler(seed=rng.randrange(1 << 30)))
        study.optimize(objective, n_trials=rng.randrange(30, 90))
        answers.append({**describe(optuna.load_study(study_name=study.study_name, storage=JournalStorage(JournalFileBackend(path)))), "file": path})
    return answers


def main():
    req = json.load(sys.stdin)
    if req["mode"] == "storage":
        storage = storage_of(req["url"])
        studies = [optuna.load_study(study_name=s.study_name, storage=storage) for s in optuna.get_all_study_summaries(storage)]
        print(json.dumps([describe(s) for s in studies]))
    elif req["mode"] == "trials":
        print(json.dumps([describe(rebuild(s)) for s in req["studies"]]))
    else:
        print(json.dumps(generate(req["dir"], req["seed"], req["count"])))


main()
