"""Notifications: an outbox written in the same transaction as its cause; channels deliver after commit."""
