from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "care"
    verbose_name = _("帮扶关爱")

    def ready(self):
        # Registers metrics, home cards, to-dos, the summary section, and the sheet importers.
        # Also the insurer's list with the background export (core.exports).
        from care import exporting, figures, importers, signals  # noqa: F401  (a hardship file follows its member)
        from core.navigation import Module, register

        register(Module("care", _("帮扶"), "care:index", "care.view", icon="bi-heart", order=55))
