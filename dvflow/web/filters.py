"""Jinja filters: dates as dd/mm/yyyy, instants in Asia/Ho_Chi_Minh, capped counts, services' messages translated."""
from __future__ import annotations

from datetime import date, datetime, timezone

from flask import Flask

from ..i18n import said
from ..services import keyset
from ..timeutil import TZ


def vndate(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(TZ).date()
    return value.strftime("%d/%m/%Y")


def vndatetime(value) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(TZ).strftime("%d/%m/%Y %H:%M")


def capped(value: int) -> str:
    """A count from keyset.capped_count: the number, or "more than 10,000" when counting stopped there."""
    from flask_babel import gettext as _

    return _("hơn 10.000") if value > keyset.CAP else str(value)


def estimate(value: int) -> str:
    """An estimated count (a common search term in a long list): "about 180,000", in the locale's digits."""
    from flask_babel import format_decimal
    from flask_babel import gettext as _

    return _("khoảng %(n)s", n=format_decimal(value))


def register_filters(app: Flask) -> None:
    app.add_template_filter(estimate, "estimate")
    app.add_template_filter(said, "said")  # a service's message, translated (i18n.said)
    app.add_template_filter(vndate, "vndate")
    app.add_template_filter(capped, "capped")
    app.add_template_filter(vndatetime, "vndatetime")
    app.context_processor(_vocabularies)


def _vocabularies() -> dict:
    from flask_login import current_user

    from ..labels import CHANNEL_LABELS, PARTY_ROLE_LABELS, VISIT_OUTCOME_LABELS

    roles = current_user.roles if getattr(current_user, "is_authenticated", False) else set()
    return {"party_role_labels": PARTY_ROLE_LABELS, "channel_labels": CHANNEL_LABELS,
            "visit_outcome_labels": VISIT_OUTCOME_LABELS, "my_roles": roles}
