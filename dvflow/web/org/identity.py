"""The logged-in user as flask-login sees it, with the roles per unit loaded once per request."""
from __future__ import annotations

from flask_login import UserMixin

from ...models import User


class CurrentUser(UserMixin):
    def __init__(self, user: User):
        self.user = user
        self.id = user.id
        self.username = user.username
        self.full_name = user.full_name or user.username
        self.locale = user.locale
        self.roles_by_unit: dict[int, set[str]] = {}
        for m in user.memberships:
            self.roles_by_unit.setdefault(m.unit_id, set()).add(m.role)

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_active(self) -> bool:
        return self.user.active

    @property
    def roles(self) -> set[str]:
        return set().union(*self.roles_by_unit.values()) if self.roles_by_unit else set()
