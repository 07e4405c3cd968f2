"""Who may do what: the one table of roles and permissions.

A role assigned on a unit covers that unit and its whole subtree. Permissions are
strings "<app>.<action>"; every list, detail, export and API endpoint asks
``<Model>.objects.visible_to(user, permission)`` (orgs.access) for its records.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CHAIR = "chair", _("工会主席")
    VICE_CHAIR = "vice_chair", _("工会副主席")
    COMMITTEE = "committee", _("工会委员")
    CARE_OFFICER = "care_officer", _("帮扶专干")
    CONGRESS_SECRETARY = "congress_secretary", _("教代会/职代会秘书")
    GROUP_LEADER = "group_leader", _("工会小组长")
    FEDERATION_VIEWER = "federation_viewer", _("上级查看")
    HANDLER = "handler", _("承办部门负责人")
    SAFETY_INSPECTOR = "safety_inspector", _("劳动保护监督检查员")
    AUDITOR = "auditor", _("经审委员")
    MEMBER = "member", _("会员")


# The roles an officer may give a login they open for someone (orgs.services.officer_invite): a member's
# login is opened from the roster instead, where an ID check links it to the member (portal).
INVITE_ROLES = [role for role in Role if role != Role.MEMBER]


PERMISSIONS = {
    # org tree and people who act on it
    "orgs.view": _("查看组织架构"),
    "orgs.manage": _("新增、调整、停用单位"),
    "orgs.assign_roles": _("分配角色"),
    "orgs.history": _("查看变更记录"),
    # who read sensitive data (core.models.AccessLog): the chair answers for it
    "core.access_log": _("查看敏感信息查看记录"),
    # roster
    "members.view": _("查看会员名册"),
    "members.change": _("维护会员信息"),
    "members.import": _("导入会员"),
    "members.export": _("导出会员"),
    "members.view_sensitive": _("查看完整身份证号和手机号"),
    "members.transfer": _("办理会员转会"),
    # plans and summaries
    "plans.view": _("查看工作计划"),
    "plans.change": _("编制工作计划"),
    "plans.update_items": _("更新分派的计划事项"),
    # activities and competitions
    "activities.view": _("查看活动"),
    "activities.manage": _("组织活动"),
    "activities.checkin": _("活动签到"),
    "activities.register": _("报名参加活动"),
    # democratic management
    "democracy.view": _("查看民主管理"),
    "democracy.manage": _("办理教代会和提案"),
    "democracy.propose": _("提交提案和建议"),
    "democracy.answer": _("答复交办的提案和建议"),
    # care: the second gate, only care roles
    "care.view": _("查看帮扶档案"),
    "care.manage": _("维护帮扶档案"),
    "care.read_log": _("查看帮扶档案的查阅记录"),
    # statistics, and the work that flows between a unit and the one above it
    "reports.view": _("查看统计"),
    "federation.file": _("向上级报备计划、总结和报表"),
    "federation.review": _("审阅下级报备、下达目标和报表任务"),
    # union finance
    "finance.view": _("查看经费"),
    "finance.manage": _("编制预算、登记收支"),
    "finance.approve": _("审批支出"),
    "finance.audit": _("经费审查"),
    # assessments, 安康杯 and safety inspection, collective contracts
    "assessments.view": _("查看考核评比"),
    "assessments.manage": _("开展自评"),
    "assessments.review": _("审核下级自评、制定考核方案"),
    "safety.view": _("查看安全检查"),
    "safety.inspect": _("登记安全检查和隐患"),
    "safety.manage": _("整改销号、组织安康杯"),
    "contracts.view": _("查看集体合同"),
    "contracts.manage": _("办理集体协商和合同"),
}

_VIEW_ALL = {
    "orgs.view",
    "members.view",
    "plans.view",
    "activities.view",
    "democracy.view",
    "reports.view",
    "finance.view",
    "assessments.view",
    "safety.view",
    "contracts.view",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CHAIR: frozenset(PERMISSIONS) - {"activities.register", "democracy.propose", "finance.audit"},
    Role.VICE_CHAIR: frozenset(PERMISSIONS)
    - {"orgs.assign_roles", "care.view", "care.manage", "care.read_log", "members.view_sensitive", "core.access_log"}
    - {"activities.register"}
    - {"democracy.propose", "finance.audit"},
    Role.COMMITTEE: frozenset(
        _VIEW_ALL
        | {
            "members.change",
            "members.import",
            "members.export",
            "members.transfer",
            "plans.change",
            "plans.update_items",
            "activities.manage",
            "activities.checkin",
            "federation.file",
            "assessments.manage",
            "safety.inspect",
            "finance.manage",
        }
    ),
    Role.CARE_OFFICER: frozenset(
        {
            "orgs.view",
            "members.view",
            "members.view_sensitive",
            "plans.view",
            "plans.update_items",
            "activities.view",
            "reports.view",
            "care.view",
            "care.manage",
        }
    ),
    Role.CONGRESS_SECRETARY: frozenset(
        {
            "orgs.view",
            "members.view",
            "plans.view",
            "plans.update_items",
            "activities.view",
            "democracy.view",
            "democracy.manage",
            "reports.view",
        }
    ),
    Role.GROUP_LEADER: frozenset(
        {
            "orgs.view",
            "members.view",
            "members.change",
            "members.export",
            "plans.view",
            "plans.update_items",
            "activities.view",
            "activities.manage",
            "activities.checkin",
            "democracy.view",
            "reports.view",
            "federation.file",
        }
    ),
    # A federation's officer reads everything below and runs the work that flows along the tree
    # (calls, report calls, targets handed down, accepting or returning filings), but never
    # changes a unit's own records. Assessments are such work: it sets the schemes and reviews
    # the self-checks of the units below.
    Role.FEDERATION_VIEWER: frozenset(_VIEW_ALL | {"federation.review", "assessments.review"}),
    Role.HANDLER: frozenset({"orgs.view", "democracy.view", "democracy.answer"}),
    # An inspector walks workplaces and follows hazards up; nothing of it reads the roster.
    Role.SAFETY_INSPECTOR: frozenset({"orgs.view", "activities.view", "reports.view", "safety.view", "safety.inspect"}),
    Role.AUDITOR: frozenset({"orgs.view", "plans.view", "activities.view", "finance.view", "finance.audit"}),
    Role.MEMBER: frozenset({"activities.view", "activities.register", "democracy.propose"}),
}


# Permissions a role grants on the units below its own unit, never on that unit itself.
#
# A union is founded by the federation above it, which also appoints its first chair (筹备组, 首任主席)
# until the union's own congress elects one; the chair of a union is likewise answerable to, and
# replaced through, the unit above. So the federation's officer (上级查看, the only role a county has)
# founds, corrects, moves and deactivates units below the federation, gives and withdraws their roles,
# and reads the changes to them. Her own federation's records (its name, kind, headcount, and who holds
# roles on it) stay the business of the federation above it, as before: nobody acts on the unit they
# sit in as though from above. A new role was not made for this because the demo's county has exactly
# this one officer, and a federation without someone to found unions left the 待建会 list a dead end.
BELOW_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.FEDERATION_VIEWER: frozenset({"orgs.manage", "orgs.assign_roles", "orgs.history"}),
}


def _known(permission: str) -> None:
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}; add it to orgs.roles.PERMISSIONS")


def roles_with(permission: str) -> list[str]:
    """The roles that grant ``permission`` on their unit and its subtree; an unknown permission is a
    programming error."""
    _known(permission)
    return [role for role, perms in ROLE_PERMISSIONS.items() if permission in perms]


def roles_below_with(permission: str) -> list[str]:
    """The roles that grant ``permission`` on the units below their own only (BELOW_PERMISSIONS)."""
    _known(permission)
    return [
        role for role, perms in BELOW_PERMISSIONS.items() if permission in perms and role not in roles_with(permission)
    ]
