"""Workflow versions: open cases keep theirs, migrations."""
