"""`python -m insights` runs the service (what dapr.yaml starts)."""

from insights.main import run

run()
