"""Registering cases and moving them through their workflows."""
