"""Locale helpers shared by every face: the page language, and the English label of a workflow object (YAML
`label_en`) when the page is in English.

Fixed vocabularies (labels.py, flash messages, templates) go through the gettext catalogue in
dvflow/translations; workflow labels come from the YAML definitions, which carry `label` (Vietnamese) and
most of the time `label_en`.
"""
from __future__ import annotations

from flask import Flask, has_request_context
from flask import session as cookie_session
from flask_babel import get_locale, gettext
from flask_login import current_user

from .engine.message import Label

#: the page languages: Vietnamese first, English second
LANGUAGES = ("vi", "en")


def select_locale() -> str:
    """The page language: the one chosen on the page (kept in the cookie session), else the user's, else Vietnamese."""
    lang = cookie_session.get("lang")
    if lang in LANGUAGES:
        return lang
    if current_user and getattr(current_user, "is_authenticated", False):
        return current_user.locale or "vi"
    return "vi"


def is_english() -> bool:
    """True when the current request renders in English (outside a request: Vietnamese)."""
    if not has_request_context():
        return False
    locale = get_locale()
    return locale is not None and locale.language == "en"


def loc(obj, attr: str = "label", default=None):
    """`obj.<attr>_en` in English when non-empty, else `obj.<attr>` (Vietnamese); `default` when obj is None."""
    if obj is None:
        return default
    if is_english():
        english = getattr(obj, attr + "_en", None)
        if english:
            return english
    value = getattr(obj, attr, None)
    return value if value not in (None, "") or default is None else default


def said(message) -> str:
    """A service's message (a ServiceError, or a refusal's text) or the engine's (dvflow.engine.message.Msg) in the
    page's language when the catalogue has it: the template translated, then filled with its values, a value that
    is itself a message (a field's name, a weekday, a unit of days) translated too. Not Jinja's `_()`, which would
    %-format a text that holds a percent sign."""
    template = getattr(message, "template", None) or getattr(message, "message", message)
    if not template:
        return ""
    params = getattr(message, "params", None) or {}
    if not params:
        return gettext(template)
    return gettext(template, **{k: _said_value(v) for k, v in params.items()})


def _said_value(value):
    if getattr(value, "template", None) is not None:
        return said(value)
    if isinstance(value, Label):  # a workflow object's name: its YAML label_en on an English page, when it has one
        return value.en if value.en and is_english() else value.vi
    return gettext(value) if isinstance(value, str) and value else value


def register_i18n(app: Flask) -> None:
    app.add_template_global(loc, "loc")
    app.add_template_global(is_english, "is_english")
