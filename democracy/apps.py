from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DemocracyConfig(AppConfig):
    name = "democracy"
    verbose_name = _("民主管理")

    def ready(self):
        from core.navigation import Module, register
        from democracy import (
            figures,  # noqa: F401  (registers metrics, cards, to-dos, summary, evidence, calendar)
            rollup,  # noqa: F401  (proposals and suggestions in the roll-ups, and the handler that marks changes)
            signals,  # noqa: F401  (a representative's seat follows the roster)
        )

        register(
            Module(
                "democracy",
                pgettext_lazy("navbar", "民主管理"),
                "democracy:index",
                "democracy.view",
                also=("democracy.propose",),
                icon="bi-chat-square-quote",
                order=50,
            )
        )
