"""Use cases. Each takes a session, the acting user and `now`; each flushes and never commits."""
