"""Logistic regression on a synthetic churn data set, trained with mini-batch SGD.

Plain Python, no dependencies: run it with ExpTrack's "Run Python File with Tracking" (the
CodeLens above) and its arguments become parameters and its printed metrics become curves.
"""
import argparse
import csv
import math
import os
import random
import sys

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--lr", type=float, default=0.1)
parser.add_argument("--epochs", type=int, default=15)
parser.add_argument("--batch-size", type=int, default=32)
parser.add_argument("--l2", type=float, default=0.0)
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "data", "churn.csv"))
args = parser.parse_args()


def load(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    features = [k for k in rows[0] if k != "churned"]
    x = [[float(r[k]) for k in features] for r in rows]
    y = [int(r["churned"]) for r in rows]
    return features, x, y


def sigmoid(z):
    return 1 / (1 + math.exp(-z)) if z > -30 else 0.0


def evaluate(w, b, x, y):
    loss = correct = 0.0
    for xi, yi in zip(x, y):
        p = min(max(sigmoid(sum(wj * xj for wj, xj in zip(w, xi)) + b), 1e-12), 1 - 1e-12)
        loss -= yi * math.log(p) + (1 - yi) * math.log(1 - p)
        correct += (p >= 0.5) == bool(yi)
    return loss / len(y), correct / len(y)


features, x, y = load(args.data)
rng = random.Random(args.seed)
order = list(range(len(y)))
rng.shuffle(order)
split = int(0.8 * len(order))
train, val = order[:split], order[split:]
xt, yt = [x[i] for i in train], [y[i] for i in train]
xv, yv = [x[i] for i in val], [y[i] for i in val]
w, b = [0.0] * len(features), 0.0

print(f"training on {len(yt)} rows, validating on {len(yv)}, features: {', '.join(features)}", flush=True)
for epoch in range(1, args.epochs + 1):
    rng.shuffle(train)
    for start in range(0, len(train), args.batch_size):
        batch = train[start:start + args.batch_size]
        gw, gb = [0.0] * len(w), 0.0
        for i in batch:
            err = sigmoid(sum(wj * xj for wj, xj in zip(w, x[i])) + b) - y[i]
            gw = [g + err * xj for g, xj in zip(gw, x[i])]
            gb += err
        w = [wj - args.lr * (g / len(batch) + args.l2 * wj) for wj, g in zip(w, gw)]
        b -= args.lr * gb / len(batch)
    loss, acc = evaluate(w, b, xt, yt)
    val_loss, val_acc = evaluate(w, b, xv, yv)
    if math.isnan(loss) or loss > 50:
        print(f"epoch {epoch}: loss diverged ({loss})", file=sys.stderr, flush=True)
        sys.exit(1)
    print(f"Epoch {epoch}/{args.epochs} - loss: {loss:.4f} - accuracy: {acc:.4f} - val_loss: {val_loss:.4f} - val_accuracy: {val_acc:.4f}", flush=True)
print("weights: " + ", ".join(f"{f}={wj:.3f}" for f, wj in zip(features, w)), flush=True)
