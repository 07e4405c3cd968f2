from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "care"
    verbose_name = _("帮扶关爱")

    def ready(self):
        # Registers metrics, home cards, to-dos, the summary section, and the sheet importers.
        # Also the insurer's list with the background export (core.exports).
        # signals: a hardship file follows its member; rollup: care's figures in the roll-ups and their handlers.
        from care import exporting, figures, importers, rollup, signals  # noqa: F401
        from core.navigation import Module, register

        register(Module("care", _("帮扶"), "care:index", "care.view", icon="bi-heart", order=55))
