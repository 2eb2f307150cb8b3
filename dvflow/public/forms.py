"""The tracking and rating forms (CSRF-protected by Flask-WTF)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

SCORES = [("5", _l("Rất hài lòng")), ("4", _l("Hài lòng")), ("3", _l("Bình thường")), ("2", _l("Chưa hài lòng")),
          ("1", _l("Rất không hài lòng"))]


def one_line_break(text: str | None) -> str | None:
    """Browsers send a textarea's line breaks as CRLF: counted as one character, as the textarea's maxlength does,
    so a comment the page let through is not over the limit on the server."""
    return text.replace("\r\n", "\n") if text else text


class TrackForm(FlaskForm):
    tracking_code = StringField(_l("Mã hồ sơ"), validators=[
        DataRequired(_l("Nhập mã hồ sơ.")), Length(max=32, message=_l("Mã hồ sơ: tối đa %(max)d ký tự."))])
    secret = StringField(_l("Mã bí mật"), validators=[
        DataRequired(_l("Nhập mã bí mật in trên phiếu hẹn hoặc giấy biên nhận.")),
        Length(max=16, message=_l("Mã bí mật: tối đa %(max)d ký tự."))])


class RateForm(FlaskForm):
    tracking_code = HiddenField(validators=[
        DataRequired(), Length(max=32, message=_l("Mã hồ sơ: tối đa %(max)d ký tự."))])
    secret = HiddenField(validators=[DataRequired(), Length(max=16, message=_l("Mã bí mật: tối đa %(max)d ký tự."))])
    # WTForms' own choice check answers in English ("Not a valid choice."): ours names the field in the page language
    score = RadioField(_l("Mức độ hài lòng"), choices=SCORES, validate_choice=False, validators=[
        DataRequired(_l("Chọn mức độ hài lòng.")),
        AnyOf([value for value, _label in SCORES], message=_l("Mức độ hài lòng: chọn từ 1 đến 5."))])
    comment = TextAreaField(_l("Ý kiến (không bắt buộc)"), filters=[one_line_break],
                            validators=[Length(max=2000, message=_l("Ý kiến: tối đa %(max)d ký tự."))])
