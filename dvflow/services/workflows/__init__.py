"""Workflow versions: moving open cases to the current version of their workflow, previewed first."""
from .versioning import CaseMigration, apply, plan

__all__ = ["CaseMigration", "apply", "plan"]
