from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from orgs.access import ScopedQuerySetMixin, UnitScopedQuerySet, subtree_range
from orgs.roles import Role


class UnitKind(models.TextChoices):
    FEDERATION = "federation", _("总工会")
    UNION = "union", _("基层工会")
    SUBUNION = "subunion", _("分工会")
    GROUP = "group", _("工会小组")
    TEAM = "team", _("班组")


# A kind named inside a sentence ("A union group cannot hold a work team."): the labels are capitalised
# for menus and headings, which reads wrong mid-sentence in English.
KIND_IN_SENTENCE = {
    UnitKind.FEDERATION: pgettext_lazy("unit kind mid-sentence", "总工会"),
    UnitKind.UNION: pgettext_lazy("unit kind mid-sentence", "基层工会"),
    UnitKind.SUBUNION: pgettext_lazy("unit kind mid-sentence", "分工会"),
    UnitKind.GROUP: pgettext_lazy("unit kind mid-sentence", "工会小组"),
    UnitKind.TEAM: pgettext_lazy("unit kind mid-sentence", "班组"),
}


def kind_in_sentence(kind) -> str:
    return str(KIND_IN_SENTENCE.get(kind, kind))


# Which kinds may sit directly below which: a group never holds a federation.
ALLOWED_CHILDREN = {
    UnitKind.FEDERATION: [UnitKind.FEDERATION, UnitKind.UNION],
    UnitKind.UNION: [UnitKind.SUBUNION, UnitKind.GROUP, UnitKind.TEAM],
    UnitKind.SUBUNION: [UnitKind.GROUP, UnitKind.TEAM],
    UnitKind.GROUP: [UnitKind.TEAM],
    UnitKind.TEAM: [],
}


def parent_kinds(kind):
    """The kinds of unit that may hold a unit of ``kind`` directly."""
    return [parent for parent, kinds in ALLOWED_CHILDREN.items() if kind in kinds]


class OrgUnitQuerySet(ScopedQuerySetMixin, MP_NodeQuerySet):
    path_field = "path"

    def active(self):
        return self.filter(is_active=True)

    def matching(self, q):
        """Units whose name or short name holds ``q``, or whose code does in any case: what a person
        typing into a unit search box means."""
        return self.filter(Q(name__contains=q) | Q(short_name__contains=q) | Q(code__icontains=q))


class OrgUnitManager(MP_NodeManager):
    def get_queryset(self):
        return OrgUnitQuerySet(self.model).order_by("path")

    def visible_to(self, user, permission):
        return self.get_queryset().visible_to(user, permission)


code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_-]*$", _("编码只能由字母、数字、短横线和下划线组成，且以字母或数字开头。")
)


HEADCOUNT_MAX = 1_000_000


class OrgUnit(MP_Node):
    """A node of the union tree: a federation, a union, a sub-union, a group or a team.

    Records of every app belong to one unit; a role on a unit covers its subtree.
    Units are never deleted, only deactivated, so nothing that belongs to them is lost.
    """

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    code = models.CharField(_("编码"), max_length=40, unique=True, validators=[code_validator])
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    headcount = models.PositiveIntegerField(
        _("职工人数"),
        default=0,
        # One unit's own staff: the largest employers count a few hundred thousand; beyond that it is a
        # typo, and it would sink the membership rate of every unit above it.
        validators=[
            MaxValueValidator(
                HEADCOUNT_MAX, _("职工人数不能超过 %(limit_value)s 人（本单位不含下级），请核对是否多输了数字。")
            )
        ],
        help_text=_("本单位（不含下级）在岗职工人数，用于计算入会率。"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["path", "depth", "numchild"], cascade_delete_history=False)

    node_order_by = []  # siblings keep the order they were added in
    objects = OrgUnitManager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        # The units directly below one (depth + 1, within its path range): every overview page asks,
        # and a province's path range alone covers all of its 100,000 units.
        indexes = [models.Index(fields=["depth", "path"], name="orgunit_depth_path_idx")]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name

    @property
    def inactive_mark(self):
        """ "（已停用）" after the name of a deactivated unit where it is listed beside live ones (its records
        stay in the figures, so tables keep it): re-created under the same name, two rows read alike."""
        return "" if self.is_active else _("（已停用）")

    @property
    def allowed_child_kinds(self):
        return ALLOWED_CHILDREN.get(self.kind, [])

    def ancestors_and_self(self):
        """The path from the root to this unit, in one query."""
        return [*OrgUnit.objects.get_ancestors(self), self]

    def is_in_subtree_of(self, other):
        return self.path.startswith(other.path)

    def subtree_headcount(self):
        """The staff counted by this unit and its active units below, counted live (the roll-ups'
        ``orgs.headcount`` keeps the same figure for the overview pages)."""
        units = OrgUnit.objects.filter(path__range=subtree_range(self.path), is_active=True)
        return units.aggregate(total=models.Sum("headcount"))["total"] or 0

    def clean(self):
        parent = OrgUnit.objects.get_parent(self) if self.pk and self.depth > 1 else None
        if parent is not None and self.kind not in parent.allowed_child_kinds:
            raise ValidationError(
                {
                    "kind": _("%(parent)s下不能设立%(kind)s。")
                    % {"parent": kind_in_sentence(parent.kind), "kind": kind_in_sentence(self.kind)}
                }
            )
        # A changed kind must still hold the units below it, deactivated ones too (they may come back).
        if self.pk and self.kind and self.numchild:
            below = set(OrgUnit.objects.get_children(self).order_by().values_list("kind", flat=True).distinct())
            refused = [kind_in_sentence(kind) for kind in UnitKind if kind in below - set(self.allowed_child_kinds)]
            if refused:
                raise ValidationError(
                    {
                        "kind": _("下面已有%(kinds)s，%(kind)s下不能设立。请先调整这些下级单位，再修改类型。")
                        % {
                            "kinds": pgettext("enumeration", "、").join(map(str, refused)),
                            "kind": kind_in_sentence(self.kind),
                        }
                    }
                )


class RoleAssignmentQuerySet(UnitScopedQuerySet):
    def by_seniority(self):
        """Chair first, then vice chairs, committee members … as Role lists them (its codes sort
        经审委员 before 工会主席), and within a role by login name."""
        rank = models.Case(
            *(models.When(role=role, then=models.Value(n)) for n, role in enumerate(Role)),
            default=models.Value(len(Role)),
        )
        return self.order_by(rank, "user__username")


class RoleAssignment(models.Model):
    """A user acting in a role on a unit and, through it, on the unit's subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(OrgUnit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(_("分配时间"), auto_now_add=True)

    history = HistoricalRecords()
    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_role_assignment")]
        ordering = ["unit__path", "role"]

    def __str__(self):
        return f"{self.user} · {self.unit} · {self.get_role_display()}"
