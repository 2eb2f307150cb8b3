"""Error pages in Vietnamese (HTML) or a JSON body (API): never a stack trace."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    403: "Bạn không có quyền thực hiện thao tác này.",
    404: "Không tìm thấy trang hoặc hồ sơ yêu cầu.",
    405: "Phương thức không được hỗ trợ.",
    409: "Hồ sơ vừa được người khác thay đổi. Vui lòng tải lại trang và thử lại.",
    413: "Tệp tải lên quá lớn.",
    429: "Bạn thao tác quá nhiều lần. Vui lòng thử lại sau ít phút.",
    500: "Đã có lỗi hệ thống. Thao tác chưa được thực hiện; vui lòng thử lại.",
}


def _respond(code: int, message: str | None = None):
    message = message or MESSAGES.get(code, MESSAGES[500])
    if request.path.startswith("/api/"):
        return jsonify({"error": {"code": code, "message": message}}), code
    return render_template("errors/error.html", code=code, message=message), code


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_e):
        return _respond(400, "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ (thiếu mã CSRF). Vui lòng thử lại.")

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException):
        return _respond(e.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(e: Exception):
        app.logger.exception("unhandled error: %s", e)
        return _respond(500)
