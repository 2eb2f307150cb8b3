"""Error pages in the page language (HTML) or a Vietnamese JSON body (API): never a stack trace."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

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


def _respond(code: int, message: str | None = None):
    message = message or MESSAGES.get(code, MESSAGES[500])
    if request.path.startswith("/api/"):
        return jsonify({"error": {"code": code, "message": message}}), code
    return render_template("errors/error.html", code=code, message=gettext(message)), code


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_e):
        return _respond(400, N_("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ (thiếu mã CSRF). "
                                "Vui lòng thử lại."))

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException):
        return _respond(e.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(e: Exception):
        app.logger.exception("unhandled error: %s", e)
        return _respond(500)
