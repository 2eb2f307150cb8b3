"""Errors a use case reports to its caller, with a Vietnamese message fit to show a user."""
from __future__ import annotations


def N_(text: str) -> str:
    """`text` unchanged, marked for extraction (`make translations`, -k N_): a Vietnamese label or phrase a
    message names as a value (a field's name), or a message kept in a name before it is raised. A page translates it
    (`i18n.said` passes every string value through the catalogue); the API and the logs show it as it is."""
    return text


class ServiceError(Exception):
    """A request that cannot be carried out; nothing was changed.

    `message` is a Vietnamese literal, extracted for translation by its error class (Makefile `translations`). A
    message with values in it is a template, `%(name)s`, with the values given as keyword arguments: `message` holds
    it filled (the API's JSON, the logs, the command line), and a page translates the template before filling it
    (`i18n.said`), which an f-string would have made impossible."""

    status = 400

    def __init__(self, message: str, field: str | None = None, code: str = "invalid", **params):
        self.template = message
        self.params = params
        self.message = message % params if params else message
        super().__init__(self.message)
        self.field = field
        self.code = code


class NotFound(ServiceError):
    status = 404


class Forbidden(ServiceError):
    status = 403


class Conflict(ServiceError):
    """Someone else changed the case meanwhile (optimistic lock)."""

    status = 409
