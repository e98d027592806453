"""Use cases of the read model: no HTTP, no daprd URLs (those are in routes/ and dapr.py)."""
