"""A tiny stand-in for a training script: prints one metrics line per epoch, e.g.
`epoch 1 loss=0.5 acc=0.5`, so tests can check what a tracked run records."""
import argparse
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=3)
parser.add_argument("--lr", type=float, default=0.1)
parser.add_argument("--sleep", type=float, default=0.0, help="seconds to wait after each epoch")
parser.add_argument("--fail-at", type=int, default=0, help="exit with status 1 at this epoch")
args = parser.parse_args()

print(f"training for {args.epochs} epochs, lr={args.lr}", flush=True)
for epoch in range(1, args.epochs + 1):
    loss = round(1 / (1 + epoch * args.lr * 10), 4)
    print(f"epoch {epoch} loss={loss} acc={round(1 - loss, 4)}", flush=True)
    if epoch == args.fail_at:
        print(f"diverged at epoch {epoch}", file=sys.stderr, flush=True)
        sys.exit(1)
    time.sleep(args.sleep)
print("done", flush=True)
