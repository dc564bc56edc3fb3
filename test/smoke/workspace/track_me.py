"""Logs through the Python client alone (nothing printed), so its run has metrics only when
`import exptrack` resolves to the client bundled with the extension."""
import exptrack

with exptrack.init(params={"lr": 0.1}) as run:
    for step in range(3):
        run.log({"loss": round(1.0 / (step + 1), 3)}, step=step)
