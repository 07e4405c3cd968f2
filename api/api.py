"""The JSON API, version 1: thin over the apps' own models and services.

Each app that offers endpoints has an ``api.py`` with a ninja ``router``; it is
mounted here under the app's name, so apps add endpoints without touching this file.
Authentication is the browser session (with CSRF on writes) for now.
"""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(
    title="Gonghui API",
    version="1.0.0",
    description="工会工作台 JSON API. Every endpoint answers only with records the user may see.",
    auth=django_auth,
    urls_namespace="api",
)

for app in ("orgs", "members", "plans", "activities"):
    if app in settings.INSTALLED_APPS and find_spec(f"{app}.api"):
        api.add_router(f"/{app}/", import_module(f"{app}.api").router)
