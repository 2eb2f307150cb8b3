"""The organisation: units and their tree, users and their roles, who may see and do what, API tokens."""
from .accounts import create_unit, create_user, find_unit, grant_role
from .tokens import create_token, list_tokens, revoke
from .units import dissolve_unit

__all__ = ["create_token", "create_unit", "create_user", "dissolve_unit", "find_unit", "grant_role", "list_tokens",
           "revoke"]
