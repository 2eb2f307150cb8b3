"""The production layout run end to end with a load test: `python -m deploy.e2e --help`."""
