"""The in-app inbox: each user's notifications, read and marked read."""
from .notifications import cursor_of, list_inbox, mark_all_read, mark_read, unread_count

__all__ = ["cursor_of", "list_inbox", "mark_all_read", "mark_read", "unread_count"]
