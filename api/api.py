"""The JSON API, version 1: thin over the apps' own models and services.

Each app that offers endpoints has an ``api.py`` with a ninja ``router``; it is
mounted here under the app's name, so apps add endpoints without touching this file.
Authentication is the browser session (with CSRF on writes) for now.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(
    title="Gonghui API",
    version="1.0.0",
    description="工会工作台 JSON API. Every endpoint answers only with records the user may see.",
    auth=django_auth,
    urls_namespace="api",
)

for config in apps.get_app_configs():
    if config.name != "api" and "." not in config.name and find_spec(f"{config.name}.api"):
        api.add_router(f"/{config.label}/", import_module(f"{config.name}.api").router)
