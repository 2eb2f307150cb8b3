"""The documents of a case (list on the case page, download DOCX/PDF, preview) and the units' templates."""
from ...request import PageBlueprint
from ..org.identity import no_store

bp = PageBlueprint("documents", __name__, url_prefix="/van-ban")
bp.after_request(no_store)  # documents name the parties

from . import routes  # noqa: E402,F401
