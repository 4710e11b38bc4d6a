"""The REST API (FastAPI), mounted at /api."""
