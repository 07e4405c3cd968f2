from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("公共")

    def ready(self):
        from django.conf import settings
        from PIL import Image

        from core import lookups  # noqa: F401 (registers the integer lookups)

        # Every Image.open in the product, ours, Django's ImageField or a library's, refuses an image of
        # more than IMAGE_MAX_PIXELS: Pillow raises DecompressionBombError at twice its limit (and only
        # warns below), so its limit is half of ours.
        Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS // 2
