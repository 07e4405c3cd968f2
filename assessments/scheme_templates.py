"""Schemes a federation starts from: 模范职工之家, 教职工小家 and the 六有 standard of grassroots unions.

Each criterion: (group, title, points, evidence, rule, metric, threshold). The wording follows the
assessment tables county federations hand out; rules are keys of assessments.rules.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class TemplateCriterion:
    group: str
    title: str
    points: int
    evidence: str
    rule: str = ""
    metric: str = ""
    threshold: int | None = None


@dataclass(frozen=True)
class SchemeTemplate:
    key: str
    title: str
    description: str
    criteria: tuple[TemplateCriterion, ...]


C = TemplateCriterion

STAFF_HOME = SchemeTemplate(
    key="staff_home",
    title=_("模范职工之家考核标准"),
    description=_(
        "按“组织健全、民主管理、维权服务、文体活动、阵地建设”五个方面考核，满分100分，90分以上可评为模范职工之家。"
    ),
    criteria=(
        C(_("组织建设"), _("工会组织健全，按期换届，委员分工明确"), 10, _("换届选举批复、委员分工文件")),
        C(_("组织建设"), _("职工入会率达到95%以上"), 10, _("会员名册"), "members.membership_rate", "", 95),
        C(_("组织建设"), _("按时向上级工会报备年度工作计划"), 5, _("年度工作计划及报备记录"), "plans.filed_on_time"),
        C(_("组织建设"), _("年度工作计划经委员会讨论通过并发布"), 5, _("年度工作计划"), "plans.published"),
        C(
            _("民主管理"),
            _("每年至少召开一次职代会（教代会）"),
            10,
            _("会议通知、议程、决议"),
            "democracy.congress_held",
        ),
        C(
            _("民主管理"),
            _("职工提案按期答复率达到90%以上"),
            10,
            _("提案及答复记录"),
            "democracy.proposals_on_time",
            "",
            90,
        ),
        C(_("民主管理"), _("厂务（校务）公开制度健全，公开栏定期更新"), 5, _("公开栏照片、公开记录")),
        C(_("维权服务"), _("建立困难职工档案，实行动态管理，节日送温暖"), 10, _("困难职工档案、慰问记录")),
        C(
            _("维权服务"),
            _("签订集体合同或工资专项集体合同并报备"),
            5,
            _("合同文本、报备回执"),
            "contracts.filed",
        ),
        C(
            _("文体活动"),
            _("经常开展职工喜闻乐见的文体活动，每年不少于4次"),
            10,
            _("活动通知、照片、总结"),
            "metric",
            "activities.held",
            4,
        ),
        C(_("阵地建设"), _("有职工之家活动场所，有职工书屋，设施齐全、正常开放"), 10, _("场所照片、开放制度")),
        C(_("阵地建设"), _("工会经费收支规范，经费审查委员会按时审查"), 5, _("经费收支账目、审查报告")),
        C(_("阵地建设"), _("工会工作档案齐全，分类归档"), 5, _("档案目录、照片")),
    ),
)

TEACHERS_HOME = SchemeTemplate(
    key="teachers_home",
    title=_("教职工小家建设考核标准"),
    description=_("适用于学校工会及所属工会小组，突出教代会、师德建设和关爱教职工。满分100分。"),
    criteria=(
        C(_("组织健全"), _("工会委员会和工会小组健全，小组长落实到人"), 10, _("委员会和小组名单")),
        C(_("组织健全"), _("教职工入会率达到98%以上"), 10, _("会员名册"), "members.membership_rate", "", 98),
        C(_("组织健全"), _("年度工作计划按时报备上级工会"), 5, _("年度工作计划及报备记录"), "plans.filed_on_time"),
        C(
            _("民主管理"),
            _("每学年召开教代会，审议学校重大事项"),
            15,
            _("会议议程、报告、决议"),
            "democracy.congress_held",
        ),
        C(
            _("民主管理"),
            _("教代会提案件件有答复，按期答复率达到95%以上"),
            10,
            _("提案及答复记录"),
            "democracy.proposals_on_time",
            "",
            95,
        ),
        C(_("民主管理"), _("校务公开及时，教职工对公开事项满意"), 5, _("公开栏照片、公开记录")),
        C(_("师德建设"), _("开展师德师风教育和评选树典活动"), 10, _("活动方案、评选结果")),
        C(_("关爱服务"), _("做好困难教职工帮扶和节日慰问，看望生病住院教职工"), 10, _("帮扶和慰问记录")),
        C(_("关爱服务"), _("组织女教职工健康体检，落实女教职工特殊保护"), 5, _("体检名单、专项合同")),
        C(
            _("文体活动"),
            _("每学期开展文体活动不少于2次，教职工参与面广"),
            10,
            _("活动照片、总结"),
            "metric",
            "activities.held",
            4,
        ),
        C(_("小家阵地"), _("有教工之家活动室和教工书屋，制度上墙、正常开放"), 10, _("场所照片、管理制度")),
    ),
)

SIX_HAVES = SchemeTemplate(
    key="six_haves",
    title=_("基层工会“六有”规范化建设标准"),
    description=_("有牌子、有班子、有场所、有制度、有活动、有档案，每项达标即得分，满分60分，54分以上为达标。"),
    criteria=(
        C(_("有牌子"), _("工会牌子醒目悬挂，名称规范"), 10, _("牌子照片")),
        C(_("有班子"), _("依法选举产生工会委员会，主席、委员配备齐全，按期换届"), 10, _("选举批复、委员名单")),
        C(_("有场所"), _("有固定的工会办公和职工活动场所"), 10, _("场所照片")),
        C(_("有制度"), _("工会工作、会员管理、经费管理等制度健全并上墙"), 10, _("制度文本、上墙照片")),
        C(
            _("有活动"),
            _("按年度计划经常开展活动，每年不少于4次"),
            10,
            _("活动照片、总结"),
            "metric",
            "activities.held",
            4,
        ),
        C(_("有档案"), _("会员名册、会议记录、活动资料等档案齐全"), 10, _("档案目录"), "plans.published"),
    ),
)

TEMPLATES = {t.key: t for t in (STAFF_HOME, TEACHERS_HOME, SIX_HAVES)}
