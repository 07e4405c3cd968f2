import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (configured by the line above)

if settings.PRODUCTION and not settings.ALLOWED_HOSTS:
    # The site would answer 400 to every request: stop here, saying why, rather than look broken. (Settings
    # do not require it: migrate and collectstatic, which serve nothing, run without it.)
    raise ImproperlyConfigured(
        "DEBUG is off (production), and ALLOWED_HOSTS is not set: set the host names the site answers to, "
        "e.g. ALLOWED_HOSTS=gonghui.example.cn (see .env.example and README, 正式部署 / Deploying for real)."
    )
