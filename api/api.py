"""The JSON API, version 1: thin over the apps' own models and services.

Each app that offers endpoints has an ``api.py`` with a ninja ``router``; it is
mounted here under the app's name, so apps add endpoints without touching this file.
Authentication is the browser session (with CSRF on writes) or a personal access token sent as
``Authorization: Bearer <token>`` (federation.auth: read or read-write, revocable).
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from ninja import NinjaAPI
from ninja.security import django_auth

from api import errors, openapi
from federation.auth import TokenAuth


class GonghuiAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        # The refusals every operation may give (401, 403, 404, 422) beside those it declares (api.openapi).
        return openapi.with_refusals(super().get_openapi_schema(**kwargs))


api = GonghuiAPI(
    title="Gonghui API",
    version="1.0.0",
    description=(
        "工会工作台 JSON API. Every endpoint answers only with records the user may see.\n\n"
        "Authentication: the browser session (writes need the CSRF token), or a personal access token "
        "in the header `Authorization: Bearer <token>`. Create one on the API token page (user menu) "
        "or with `manage.py create_api_token USERNAME --scope read|write --name TEXT`; a read token "
        "may only GET, a write token may also change data; revoke it with "
        "`manage.py revoke_api_token USERNAME --name TEXT`."
    ),
    # The token first: ninja stops at the first method that raises, and the session's refuses a write
    # without a CSRF token (403), which a program sending its token does not have.
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)
errors.install(api)

for config in apps.get_app_configs():
    if config.name != "api" and "." not in config.name and find_spec(f"{config.name}.api"):
        api.add_router(f"/{config.label}/", import_module(f"{config.name}.api").router)
