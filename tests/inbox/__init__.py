"""The in-app inbox service."""
