from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "care"
    verbose_name = _("帮扶关爱")

    def ready(self):
        from care import figures  # noqa: F401  (registers metrics, home cards, to-dos, summary section)
        from care import importers  # noqa: F401  (registers the insurance enrollment list with core.sheets)
        from core.navigation import Module, register

        register(Module("care", _("帮扶"), "care:index", "care.view", icon="bi-heart", order=55))
