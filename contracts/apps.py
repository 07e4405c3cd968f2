from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("集体合同")

    def ready(self):
        from contracts import figures  # noqa: F401  (metrics, summary, home card, to-dos)
        from core.navigation import Module, register

        register(
            Module(
                "contracts", _("集体合同"), "contracts:index", "contracts.view", icon="bi-file-earmark-text", order=78
            )
        )
