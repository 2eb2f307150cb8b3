"""Units, users, roles and who sees what."""
