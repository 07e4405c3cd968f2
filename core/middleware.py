from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from core.params import ParameterError


class LanguageMiddleware:
    """Chinese unless the user chose otherwise with the switch in the page.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and an office
    PC with an English Windows would then greet a union chair in English; the product is
    Chinese first, so only the explicit choice counts: this browser's (a cookie set by the
    switch), else the signed-in person's (kept on their login by the switch, as 大字版 is).
    After AuthenticationMiddleware, to read the latter.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        activate_chosen_language(request)
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


def activate_chosen_language(request):
    """Speak the language this browser or ``request.user`` chose (LanguageMiddleware); called again by
    whatever signs the user in later in the request (the API's tokens, federation.auth)."""
    supported = {code for code, _name in settings.LANGUAGES}
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language not in supported:
        user = request.user
        language = user.language if user.is_authenticated and user.language in supported else None
    if language is None:
        language = settings.LANGUAGE_CODE
    translation.activate(language)
    request.LANGUAGE_CODE = language


class PrivatePagesMiddleware:
    """A signed-in person's pages are kept by no browser cache: on the office computer several officers
    share, the back button or the history after signing out showed the roster with its ID numbers and
    phones, a hardship file, a download, a sheet of invitation codes or a first-login link (the last two
    open accounts). An answer that says how it may be cached keeps its own word
    (a calendar feed, a public page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response.headers and request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class HtmxLoginRedirectMiddleware:
    """A part of a page fetched by htmx (a card, a to-do list, a button's answer) whose session has
    ended is answered with a redirect to the login page; htmx would follow it and put the whole login
    page inside the card. Such an answer tells htmx to open the login page instead (HX-Redirect), and
    to come back after it to the page the person was on, not to the part."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 302 or not request.htmx:
            return response
        if response.headers.get("Location", "").split("?")[0] != resolve_url(settings.LOGIN_URL):
            return response
        # The page's path and query, when it is one of ours (django-htmx checks scheme and host).
        back = request.htmx.current_url_abs_path or "/"
        return HttpResponseClientRedirect(redirect_to_login(back)["Location"])


class NulRefusalMiddleware:
    """A NUL character in the address (path or query) or in a submitted form's fields is refused
    (400) before any view reads it: it cannot be typed, no page of ours sends one, and a database
    text cannot hold it (PostgreSQL refuses it with an error, which a search box's ``?q=`` or a
    view reading a field without a form would have turned into a server error). The JSON API
    answers as its own validation does a NUL in a body (core.params.Text): 422 naming the parameter,
    in the shape its schema publishes for input that does not match (api.openapi)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = _nul_in(request)
        if found is None:
            return self.get_response(request)
        if found[0] == "form":
            message = _("提交的内容中含有无法识别的字符（空字符），可能来自粘贴的文字。请删去后重新填写提交。")
        else:
            message = _("链接中含有无法识别的字符（空字符）。请从菜单重新进入，或返回上一页再试。")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": [{"type": "value_error", "loc": found, "msg": message}]}, status=422)
        raise ParameterError(message)


def _nul_in(request):
    """Where the request holds a NUL: ["path"], ["query", name] or ["form", name]; else None. A form's
    fields are parsed by the CSRF check of every POST anyway; files are not read."""
    if "\x00" in request.path:
        return ["path"]
    fields = [("query", request.GET)] + ([("form", request.POST)] if request.method == "POST" else [])
    for where, data in fields:
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return [where, key]
    return None
