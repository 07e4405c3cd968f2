"""The modules in the top navigation, registered by each app in its AppConfig.ready().

A module is shown only to users holding its permission (or one of ``also``) somewhere, so a group
leader never sees a link that would answer 404.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Module:
    key: str
    label: str  # lazy translation
    url_name: str
    permission: str
    icon: str = "bi-grid"
    order: int = 100
    # Permissions that also show the module: a member's democracy.propose opens 民主管理 (her proposals and
    # suggestions, ballots, notices, the opinion box) though only officers hold democracy.view.
    also: tuple[str, ...] = ()

    @property
    def permissions(self) -> tuple[str, ...]:
        return (self.permission, *self.also)


_modules: dict[str, Module] = {}


def register(module: Module) -> None:
    _modules[module.key] = module


def modules() -> list[Module]:
    return sorted(_modules.values(), key=lambda m: (m.order, m.key))
