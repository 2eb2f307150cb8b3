"""Error answers for every face: a page in the page language (HTML) or a Vietnamese JSON body (the API, see
`request.wants_json`), never a stack trace. The API adds its own handlers for its validation errors."""
from __future__ import annotations

from flask import Flask, current_app, jsonify, make_response, render_template
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .i18n import said
from .ratelimits import retry_after
from .request import rollback, wants_json
from .services.errors import ServiceError

N_ = lambda s: s  # noqa: E731 - extracted for translation; HTML pages translate, the API stays Vietnamese

MESSAGES = {
    400: N_("Yêu cầu không hợp lệ."),
    403: N_("Bạn không có quyền thực hiện thao tác này."),
    404: N_("Không tìm thấy trang hoặc hồ sơ yêu cầu."),
    405: N_("Phương thức không được hỗ trợ."),
    409: N_("Hồ sơ vừa được người khác thay đổi. Vui lòng tải lại trang và thử lại."),
    413: N_("Tệp tải lên quá lớn."),
    429: N_("Bạn thao tác quá nhiều lần. Vui lòng thử lại sau ít phút."),
    500: N_("Đã có lỗi hệ thống. Thao tác chưa được thực hiện; vui lòng thử lại."),
}
#: the page of last resort, when the error page itself cannot be rendered (no template, no database)
PLAIN_500 = ('<!doctype html><html lang="vi"><meta charset="utf-8"><title>Lỗi 500</title>'
             f'<h1>Lỗi 500</h1><p>{MESSAGES[500]}</p><p><a href="/">Về trang chủ</a></p></html>')
#: the API's own wording where a page's would mislead: the API takes no file, only a JSON body
API_MESSAGES = {413: "Nội dung yêu cầu quá lớn."}


def json_error(code: int, message: str, fields: list[dict] | None = None):
    """The API's error body: `{"error": {"code", "message", "fields"}}`, with its status."""
    return jsonify({"error": {"code": code, "message": message, "fields": fields or []}}), code


def respond(code: int, message: str | None = None, *, translate: bool = True):
    """The error answer for `code`; `message` defaults to the code's own (translated on pages when `translate`)."""
    if wants_json():
        return json_error(code, message or API_MESSAGES.get(code) or MESSAGES.get(code, MESSAGES[500]))
    message = message or MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, message=gettext(message) if translate else message), code


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_e):
        return respond(400, N_("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ (thiếu mã CSRF). "
                               "Vui lòng thử lại."))

    @app.errorhandler(ServiceError)
    def _refused(exc: ServiceError):
        """A use case (or the commit: Conflict) refused and the handler did not answer it itself: nothing was
        changed; its message, in English on an English page when the catalogue has it (the services' messages are
        extracted by their error class: Makefile `translations`), in Vietnamese in the API's JSON."""
        rollback()
        return respond(exc.status, exc.message if wants_json() else said(exc), translate=False)

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException):
        answer = make_response(respond(e.code or 500))
        if e.code == 429:  # a limit refused it: say when it lets the client through again (RFC 6585, RFC 9110)
            seconds = retry_after()
            if seconds is not None:
                answer.headers["Retry-After"] = str(seconds)
        return answer

    @app.errorhandler(Exception)
    def _unexpected(e: Exception):
        app.logger.exception("unhandled error: %s", e)
        return _failure_page()


def _failure_page():
    """The 500 answer. The request's session is rolled back first: after a flush the database refused it is
    unusable, and the page's own queries (the signed-in user, the menu) would raise again inside this handler,
    which the WSGI server answers with its bare English 500. Should the rollback or the page fail all the same (the
    database gone), a plain Vietnamese page."""
    try:
        rollback()
        return respond(500)
    except Exception:  # noqa: BLE001 - the handler of last resort must answer whatever broke
        current_app.logger.exception("the error page itself failed")
        if wants_json():
            return json_error(500, MESSAGES[500])
        return PLAIN_500, 500, {"Content-Type": "text/html; charset=utf-8"}
