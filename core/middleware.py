from django.conf import settings
from django.utils import translation


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
