from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("公共")

    def ready(self):
        from django.conf import settings
        from PIL import Image

        # Every Image.open in the product, ours or a library's, refuses a decompression bomb.
        Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
