"""Pure workflow engine: workflow definitions, the legal calendar and deadline arithmetic.

Nothing in this package imports Flask or SQLAlchemy, does I/O beyond reading workflow files, or reads the
wall clock: callers pass `now` and the data the engine needs.
"""
