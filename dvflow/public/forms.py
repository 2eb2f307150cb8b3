"""The tracking and rating forms (CSRF-protected by Flask-WTF)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

SCORES = [("5", _l("Rất hài lòng")), ("4", _l("Hài lòng")), ("3", _l("Bình thường")), ("2", _l("Chưa hài lòng")),
          ("1", _l("Rất không hài lòng"))]


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
    score = RadioField(_l("Mức độ hài lòng"), choices=SCORES,
                       validators=[DataRequired(_l("Chọn mức độ hài lòng."))])
    comment = TextAreaField(_l("Ý kiến (không bắt buộc)"),
                            validators=[Length(max=2000, message=_l("Ý kiến: tối đa %(max)d ký tự."))])
