"""The HTML pages of the staff: login, blueprints (each a `PageBlueprint`: committed once at the request boundary,
see dvflow/request.py), Jinja filters. The extensions, error pages and page language they share with the API and
the citizen pages are set up by create_app (dvflow/__init__.py)."""
from __future__ import annotations

from flask import Flask
from flask_babel import gettext

from ..extensions import login_manager
from ..request import db_session

N_ = lambda s: s  # noqa: E731 - marks a string for extraction; translated when used


def init_web(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("Vui lòng đăng nhập để tiếp tục.")
    login_manager.localize_callback = gettext  # flashed in the locale of the request
    login_manager.login_message_category = "warning"
    from .cases import bp as cases_bp
    from .filters import register_filters
    from .home import bp as home_bp
    from .org.admin import bp as admin_bp
    from .org.auth import bp as auth_bp
    from .reception import bp as reception_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(cases_bp)
    from .documents import bp as documents_bp

    app.register_blueprint(documents_bp)
    app.register_blueprint(reception_bp)
    app.register_blueprint(admin_bp)
    from .deadlines import bp as deadlines_bp

    app.register_blueprint(deadlines_bp)
    from .commitments import bp as commitments_bp

    app.register_blueprint(commitments_bp)
    from .inbox import bp as inbox_bp

    app.register_blueprint(inbox_bp)
    from .reports import bp as reports_bp

    app.register_blueprint(reports_bp)
    from .dialogues import bp as dialogues_bp

    app.register_blueprint(dialogues_bp)
    from .org.account import bp as account_bp

    app.register_blueprint(account_bp)
    register_filters(app)
    app.context_processor(_labels)


def _labels() -> dict:
    from flask_babel import get_locale, gettext

    from ..labels import ROLE_LABELS

    return {"role_labels": {k: gettext(v) for k, v in ROLE_LABELS.items()}, "get_locale": get_locale}


@login_manager.user_loader
def load_user(user_id: str):
    from .org.identity import load_user as load_live_session_user

    return load_live_session_user(user_id)
