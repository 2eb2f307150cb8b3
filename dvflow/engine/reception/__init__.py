"""Citizen reception rules: how often heads must receive citizens, and how well they did (pure: no Flask, no
SQLAlchemy, no wall clock)."""
