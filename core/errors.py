"""The error pages, in Chinese and in the product's layout (wired in gonghui/urls.py)."""

import logging

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from core.params import ParameterError

logger = logging.getLogger(__name__)


class Refusal(Exception):
    """A workflow that refused, with the reason for the person acting (``message``, in their language)
    and the form field it concerns (``field``; None: the record's state or the whole form). Each app's
    services raise their own subclass; core.forms.add_service_error and refusal_on_form show any of them."""

    def __init__(self, message, field=None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        self.also = []  # further refusals of the same change, on other fields (refuse_together)

    def each(self) -> list["Refusal"]:
        """This refusal and those raised together with it, each on its own field."""
        return [self, *self.also]


def refuse_together(*checks):
    """Run each check (a callable that raises a Refusal or returns) and raise what they refused together,
    so a form shows every field that is wrong in one round, not one per submit. The first refusal is
    raised, of its own class, carrying the others in ``also``: a caller that shows one shows the first.
    For checks that do not depend on one another."""
    refused = []
    for check in checks:
        try:
            check()
        except Refusal as refusal:
            refused.extend(refusal.each())
    if refused:
        first = refused[0]
        first.also = refused[1:]
        raise first


def _page(request, status, title, text):
    return render(request, "errors/error.html", {"status": status, "title": title, "text": text}, status=status)


def bad_request(request, exception=None):
    # Our own say what is wrong, in the user's language; Django's (in English, some naming hosts or
    # headers) keep the general text.
    if isinstance(exception, ParameterError):
        text = str(exception)
    else:
        text = _("页面收到的参数无法识别。请从菜单重新进入，或返回上一页再试。")
    return _page(request, 400, _("请求有误"), text)


def permission_denied(request, exception=None):
    return _page(request, 403, _("无权访问"), _("您当前的身份不能打开这个页面。如需访问，请联系本单位工会主席。"))


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent from an old page (or from another site)."""
    return _page(
        request, 403, _("页面已过期"), _("这个表单已过期，或者不是从本系统的页面提交的。请刷新页面后重新提交。")
    )


def page_not_found(request, exception=None):
    return _page(
        request,
        404,
        _("页面不存在"),
        _("您要找的页面不存在，或者不在您可以查看的范围内。请从菜单重新进入。"),
    )


def server_error(request):
    # Rendered without the request: no context processor runs, so a failing database (the likely
    # cause of a 500) cannot fail the error page too, and it issues no query.
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render({}))
