"""The API's own answers to a request it cannot serve, in the user's language.

django-ninja answers in English whatever the language ("Input should be a valid integer", "Not
Found: No ScheduleItem matches the given query.", "Unauthorized"), and its 404 names our models.
Here each schema error keeps ninja's shape (``{"detail": [{"type", "loc", "msg", "ctx"}]}``, which
clients read by ``type`` and ``loc``) with ``msg`` said as the product's forms say it, and the
other refusals are said plainly (``{"detail": "..."}``).
"""

from functools import partial

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import AuthenticationError, HttpError, ValidationError

DATE = gettext_lazy("应为日期，如 2026-03-01。")
TIME = gettext_lazy("应为时间，如 2026-03-01T08:30:00+08:00。")
NUMBER = gettext_lazy("应为数字。")
WHOLE = gettext_lazy("应为整数。")
# pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/) and what a
# form would say; %(…)s are the error's ctx. A type not here keeps pydantic's own words.
MESSAGES = {
    "missing": gettext_lazy("必须填写。"),
    "string_type": gettext_lazy("应为文字。"),
    "string_too_long": gettext_lazy("最多%(max_length)s个字。"),
    "string_too_short": gettext_lazy("至少%(min_length)s个字。"),
    "int_type": WHOLE,
    "int_parsing": WHOLE,
    "int_from_float": WHOLE,
    "int_parsing_size": WHOLE,
    "float_type": NUMBER,
    "float_parsing": NUMBER,
    "decimal_type": NUMBER,
    "decimal_parsing": NUMBER,
    "finite_number": NUMBER,
    "decimal_max_places": gettext_lazy("小数最多%(decimal_places)s位。"),
    "decimal_max_digits": gettext_lazy("最多%(max_digits)s位数字。"),
    "decimal_whole_digits": gettext_lazy("整数部分最多%(whole_digits)s位。"),
    "greater_than_equal": gettext_lazy("应不小于%(ge)s。"),
    "greater_than": gettext_lazy("应大于%(gt)s。"),
    "less_than_equal": gettext_lazy("应不大于%(le)s。"),
    "less_than": gettext_lazy("应小于%(lt)s。"),
    "bool_type": gettext_lazy("应为 true 或 false。"),
    "bool_parsing": gettext_lazy("应为 true 或 false。"),
    "date_type": DATE,
    "date_parsing": DATE,
    "date_from_datetime_parsing": DATE,
    "date_from_datetime_inexact": DATE,
    "datetime_type": TIME,
    "datetime_parsing": TIME,
    "datetime_from_date_parsing": TIME,
    "enum": gettext_lazy("应为以下之一：%(expected)s。"),
    "literal_error": gettext_lazy("应为以下之一：%(expected)s。"),
    "list_type": gettext_lazy("应为列表。"),
    "dict_type": gettext_lazy("应为对象（键和值）。"),
    "model_type": gettext_lazy("应为 JSON 对象。"),
    "model_attributes_type": gettext_lazy("应为 JSON 对象。"),
    "too_long": gettext_lazy("最多%(max_length)s项。"),
    "too_short": gettext_lazy("至少%(min_length)s项。"),
    "json_invalid": gettext_lazy("JSON 格式有误。"),
    "extra_forbidden": gettext_lazy("没有这个字段。"),
}


def schema_error_message(error: dict) -> str:
    """What is wrong with one value, as the forms would say it."""
    kind, context = error.get("type", ""), error.get("ctx") or {}
    if kind == "value_error" and "error" in context:
        return str(context["error"])  # our own validators' words, without pydantic's "Value error, "
    message = MESSAGES.get(kind)
    if message is None:
        return error.get("msg", "")
    try:
        return str(message) % {k: _shown(v) for k, v in context.items()}
    except (KeyError, TypeError, ValueError):
        return error.get("msg", "")


def _shown(value):
    return str(value).replace("'", "")  # pydantic's "'money' or 'goods'"


def _schema_error(request, exc, *, api):
    errors = [{**error, "msg": schema_error_message(error)} for error in exc.errors]
    return api.create_response(request, {"detail": errors}, status=422)


def _not_found(request, exc, *, api):
    # Not ninja's "No ScheduleItem matches...": the same answer whether the record is missing or not the user's.
    return api.create_response(request, {"detail": _("找不到这条记录，或您无权查看。")}, status=404)


def _refused(request, exc, *, api):
    message = str(exc)
    if isinstance(exc, AuthenticationError):
        message = _("请先登录，或在请求头中附上有效的访问令牌（Authorization: Bearer …）。")
    elif message == "CSRF check Failed":
        message = _("以浏览器登录身份写入时须附上 CSRF 令牌（X-CSRFToken）；程序调用请改用访问令牌。")
    elif message.startswith("Cannot parse request body"):
        message = _("请求正文不是有效的 JSON。")
    elif message == "Too many requests.":
        message = _("请求过于频繁，请稍后再试。")
    elif message == "Forbidden":
        message = _("您没有这项操作的权限。")
    return api.create_response(request, {"detail": message}, status=exc.status_code)


def install(api):
    """Answer ``api``'s refusals in the user's language (after ninja's own handlers are set)."""
    api.add_exception_handler(ValidationError, partial(_schema_error, api=api))
    api.add_exception_handler(Http404, partial(_not_found, api=api))
    api.add_exception_handler(HttpError, partial(_refused, api=api))
