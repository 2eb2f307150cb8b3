"""Helpers shared by the commands: one transaction per command, service errors as clean messages."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import click
from flask import current_app
from sqlalchemy.orm import Session

from ..services.errors import ServiceError


@contextmanager
def transaction() -> Iterator[Session]:
    """A session whose work is committed at the end, or rolled back whole on any error."""
    session: Session = current_app.extensions["dvflow.sessionmaker"]()
    try:
        with session.begin():
            yield session
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        session.close()


def now():
    from ..timeutil import utcnow

    return current_app.config.get("NOW", utcnow)()
