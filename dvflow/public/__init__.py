"""Public pages for citizens (no login): tracking a case with its receipt, and rating it once closed.

Imports nothing from dvflow.web (checked by lint-imports): what it shares with the staff pages lives below both
(dvflow.request, dvflow.i18n, dvflow.error_pages, dvflow.extensions); the templates (base.html) and Jinja filters
are the app's, shared by every page.
"""
from ..request import PageBlueprint

bp = PageBlueprint("public", __name__, url_prefix="/tra-cuu")

from . import routes  # noqa: E402,F401


def init_public(app) -> None:
    from .schedule import bp as schedule_bp

    app.register_blueprint(bp)
    app.register_blueprint(schedule_bp)  # the public reception schedule and booking (/lich-tiep-cong-dan)
