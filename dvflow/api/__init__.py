"""The JSON API under /api/v1: personal bearer tokens only (never the session cookie), so CSRF does not apply."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import (  # noqa: E402,F401  (hooks and error handlers)  # noqa: E402,F401  (routes)
    auth,
    cases,
    commitments,
    dialogues,
    docs,
    documents,
    errors,
    exports,
    public,
    ratings,
    reception,
    reception_schedule,
    reports,
    scorecard,
)


def init_api(app) -> None:
    from ..extensions import csrf

    csrf.exempt(bp)
    app.register_blueprint(bp)
