from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("工会经费")

    def ready(self):
        from core.navigation import Module, register
        from finance import (
            figures,  # noqa: F401  (metrics, summary section, home card, to-dos)
            signals,  # noqa: F401  (care payments booked as finance payments)
        )

        register(Module("finance", _("经费"), "finance:home", "finance.view", icon="bi-cash-coin", order=70))
