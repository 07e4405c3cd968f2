from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = pgettext_lazy("navigation", "会员")

    def ready(self):
        from core.navigation import Module, register
        from members import (
            exporting,  # noqa: F401  (registers the roster with the background export, core.exports)
            figures,  # noqa: F401  (registers metrics, the home card and the summary part)
            importing,  # noqa: F401  (registers the roster with the sheet import machine)
        )

        # Its own context: "会员" is also the role (a member), which the menu must not borrow.
        register(
            Module(
                "members",
                pgettext_lazy("navigation", "会员"),
                "members:list",
                "members.view",
                icon="bi-people",
                order=20,
            )
        )
