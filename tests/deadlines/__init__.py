"""Deadlines: the sweep (per-clock and fast paths, several schedulers), calendar overrides. helpers.py builds the
sweep's world, shared with the scheduler, inbox and e-mail tests."""
