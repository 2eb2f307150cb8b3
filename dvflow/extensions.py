"""Flask extensions, created unbound and attached in create_app (no side effects at import)."""
from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# the storage of the per-address limits comes from RATELIMIT_STORAGE_URI (config.py): Redis in production, so that
# every worker and node counts together; memory in development and testing
limiter = Limiter(key_func=get_remote_address, default_limits=[])
