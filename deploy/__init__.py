"""The production layout (nginx, gunicorn nodes, schedulers) and its end-to-end load test (`python -m deploy.e2e`)."""
