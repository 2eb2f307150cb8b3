"""Login form (Flask-WTF: CSRF included)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[
        DataRequired(_l("Nhập tên đăng nhập.")), Length(max=80, message=_l("Tên đăng nhập: tối đa %(max)d ký tự."))])
    password = PasswordField(_l("Mật khẩu"), validators=[
        DataRequired(_l("Nhập mật khẩu.")), Length(max=200, message=_l("Mật khẩu: tối đa %(max)d ký tự."))])


class SecondFactorForm(FlaskForm):
    code = StringField(_l("Mã xác thực"), validators=[
        DataRequired(_l("Nhập mã xác thực hoặc mã khôi phục.")),
        Length(max=40, message=_l("Mã xác thực: tối đa %(max)d ký tự."))])
