from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's sign-in form, its refusal in the product's words: Django's says 用户名 where the page says
    登录名, and says neither that a member may type her phone nor that a few more tries lock the login."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "登录名或密码不正确（会员也可以用名册上的手机号作登录名）。连续输错 %(limit)s 次，账号将暂时锁定。"
        ),
    }

    def get_invalid_login_error(self):
        return ValidationError(
            self.error_messages["invalid_login"], code="invalid_login", params={"limit": settings.AXES_FAILURE_LIMIT}
        )
