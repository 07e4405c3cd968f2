from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url
from django.utils import translation
from django_htmx.http import HttpResponseClientRedirect


class LanguageMiddleware:
    """Chinese unless the user chose otherwise with the switch in the page.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and an office
    PC with an English Windows would then greet a union chair in English; the product is
    Chinese first, so only the explicit choice (a cookie set by the switch) counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
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
