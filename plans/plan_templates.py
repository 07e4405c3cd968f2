"""Plan templates for five kinds of union: what such a unit really writes and does in a year.

A template is data, not rows: creating a plan from it (``services.plan_from_template``)
copies the sections, targets and schedule into the new plan, dating festival items from
``core.calendar.festivals(year)`` so that 春节 and 中秋 visits fall before the lunar dates of
the chosen year. The Chinese text is the content officers start from and edit, so it is
written as they would write it and is not translated.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from orgs.models import UnitKind

# Categories (plans.models.Category values), short names to keep the tables readable.
STUDY = "study"
DEMOCRACY = "democracy"
CULTURE = "culture"
CARE = "care"
COMPETITION = "competition"
WOMEN = "women"
SELF = "self_building"
OTHER = "other"


@dataclass(frozen=True)
class ItemSpec:
    """A schedule item. With ``festival`` its date is the festival's date plus ``offset`` days
    (negative: before) and its month follows the date; otherwise it has ``month`` only."""

    month: int
    text: str
    category: str
    owner: str = ""
    festival: str = ""
    offset: int = 0


@dataclass(frozen=True)
class TargetSpec:
    name: str
    op: str
    value: int | float
    measure: str
    metric: str = ""  # a core.figures metric key; left typed by hand if that app is absent


@dataclass(frozen=True)
class PlanTemplate:
    key: str
    label: str  # lazy translation, shown in the picker
    description: str  # lazy translation
    kinds: tuple[str, ...]  # unit kinds the template suits, to preselect it
    title: str  # "{unit}" and "{year}" are filled in
    guiding: str
    sections: list[tuple[int, str, str]]  # (level, heading, body)
    targets: list[TargetSpec] = field(default_factory=list)
    items: list[ItemSpec] = field(default_factory=list)


def _festival(festival, offset, text, category, owner=""):
    return ItemSpec(month=0, text=text, category=category, owner=owner, festival=festival, offset=offset)


SCHOOL = PlanTemplate(
    key="school",
    label=_("中小学、中心校工会"),
    description=_("中心学校或中小学工会：教代会、校务公开、师德建设、教工之家和送温暖。"),
    kinds=(UnitKind.UNION,),
    title="{unit}{year}年工作计划",
    guiding=(
        "以习近平新时代中国特色社会主义思想为指导，深入学习贯彻党的二十大和二十届历次全会精神，"
        "认真落实全国教育大会部署和上级工会的工作要求，紧紧围绕学校中心工作，坚持“服务教职工、"
        "服务教育教学”的宗旨，履行好维护、建设、参与、教育职能，推进民主治校，加强师德师风建设，"
        "丰富教职工精神文化生活，切实为教职工办实事、解难事，为办好人民满意的教育贡献工会力量。"
    ),
    sections=[
        (
            1,
            "工作目标",
            "教职工入会率保持100%；按期召开教职工代表大会，提案件件有答复；全年开展教职工文体活动"
            "不少于12次；困难教职工慰问全覆盖；争创县级“模范教工之家”。",
        ),
        (1, "主要工作", ""),
        (
            2,
            "加强思想政治引领，建设高素质教师队伍",
            "组织教职工深入学习党的创新理论和教育法律法规，开展师德师风专题教育，举办师德演讲、"
            "读书分享等活动，评选表彰师德标兵，引导教职工爱岗敬业、潜心育人。",
        ),
        (
            2,
            "坚持民主治校，推进校务公开",
            "按期召开教职工代表大会，认真做好提案征集、立案、交办和答复工作，做到件件有落实、事事有回音；"
            "规范校务公开，重大事项及时在公开栏公布，定期开启意见箱，畅通教职工参与学校管理的渠道。",
        ),
        (
            2,
            "丰富校园文化，增强教职工凝聚力",
            "以重要节日为契机，组织庆祝和文体活动；各工会小组每月开展一次小型活动，每学期开展一次大型活动；"
            "开放教工之家和职工书屋，发挥各兴趣协会作用。",
        ),
        (
            2,
            "关心教职工生活，做好帮扶送温暖",
            "完善困难教职工档案并实行动态管理；做好“两节”走访慰问、生病住院和婚丧嫁娶慰问；开展“金秋助学”，"
            "关心离退休教职工，组织教职工健康体检和疗休养。",
        ),
        (
            2,
            "维护女教职工合法权益",
            "开展“三八”系列活动，组织女教职工健康检查，做好女职工安康互助保险参保续保，落实女职工特殊保护措施。",
        ),
        (
            2,
            "加强工会自身建设",
            "加强工会委员和小组长培训，规范工会经费收支和资产管理，健全工会档案，推进“教工之家”建设。",
        ),
        (
            1,
            "保障措施",
            "工会委员会按分工抓落实，各工会小组每季度报送活动开展情况，年中检查、年底总结，"
            "计划执行情况纳入年度工作考评。",
        ),
    ],
    targets=[
        TargetSpec("教职工入会率", "==", 100, "%", "members.membership_rate"),
        TargetSpec("开展工会活动", ">=", 12, "次", "activities.held"),
        TargetSpec("教职工参加活动", ">=", 400, "人次", "activities.participant_times"),
        TargetSpec("计划事项按期完成率", ">=", 90, "%", "plans.items_done_rate"),
        TargetSpec("教代会提案答复率", "==", 100, "%"),
        TargetSpec("走访慰问困难教职工", ">=", 10, "户"),
        TargetSpec("女职工安康互助保险参保率", "==", 100, "%"),
    ],
    items=[
        ItemSpec(0, "每月更新校务公开栏，定期开启意见箱并及时反馈", DEMOCRACY, "工会主席"),
        ItemSpec(0, "困难教职工档案动态管理，做好生病住院、婚丧嫁娶慰问", CARE, "生活委员"),
        ItemSpec(0, "各工会小组每月开展一次小型文体活动", CULTURE, "各工会小组"),
        ItemSpec(0, "职工书屋常态开放，组织教职工读书分享", STUDY, "宣传委员"),
        _festival("chunjie", -10, "春节前走访慰问困难教职工和离退休教师", CARE, "工会主席"),
        _festival("chunjie", -7, "开展“送春联、送祝福”迎新春活动", CULTURE, "宣传委员"),
        ItemSpec(2, "召开工会委员会议，研究部署本年度工会工作", SELF, "工会主席"),
        _festival("yuanxiao", 0, "开展元宵节猜灯谜活动", CULTURE, "文体委员"),
        ItemSpec(3, "征集教代会提案，做好立案审查和交办", DEMOCRACY, "组织委员"),
        ItemSpec(3, "召开教职工代表大会，审议学校工作报告和财务预算", DEMOCRACY, "工会主席"),
        _festival("funv", -1, "开展“三八”妇女节庆祝活动，表彰“巾帼建功标兵”", WOMEN, "女工委员"),
        ItemSpec(3, "做好女职工安康互助保险续保工作", WOMEN, "女工委员"),
        _festival("qingming", -2, "组织教职工开展清明缅怀先烈活动", STUDY, "宣传委员"),
        ItemSpec(4, "举办春季教职工趣味运动会", CULTURE, "文体委员"),
        ItemSpec(4, "开展“世界读书日”读书分享会", STUDY, "宣传委员"),
        ItemSpec(4, "组织女教职工健康检查", WOMEN, "女工委员"),
        _festival("laodong", -3, "庆祝“五一”劳动节，评选表彰优秀教职工", COMPETITION, "工会主席"),
        _festival("qingnian", 0, "召开青年教师“五四”座谈会", STUDY, "组织委员"),
        ItemSpec(5, "举办青年教师教学基本功比赛", COMPETITION, "组织委员"),
        _festival("ertong", -1, "“六一”慰问教职工子女和结对帮扶学生", CARE, "生活委员"),
        _festival("duanwu", -2, "开展端午节包粽子活动并慰问教职工", CULTURE, "文体委员"),
        ItemSpec(6, "教代会提案办理情况反馈，组织提案人满意度测评", DEMOCRACY, "组织委员"),
        ItemSpec(7, "组织教职工暑期疗休养", CARE, "生活委员"),
        ItemSpec(7, "上半年工会工作小结，各工会小组报送活动情况", SELF, "工会主席"),
        ItemSpec(8, "开展“金秋助学”，资助困难教职工子女入学", CARE, "生活委员"),
        ItemSpec(9, "做好新入职教师入会和会员信息更新", SELF, "组织委员"),
        _festival("jiaoshi", 0, "庆祝教师节，表彰师德标兵和优秀班主任", STUDY, "工会主席"),
        _festival("zhongqiu", -5, "中秋节前走访慰问困难教职工和离退休教师", CARE, "工会主席"),
        _festival("guoqing", -3, "开展“迎国庆”主题活动", CULTURE, "宣传委员"),
        _festival("chongyang", 0, "重阳节慰问离退休教职工，组织登高活动", CARE, "生活委员"),
        ItemSpec(10, "举办教职工拔河、跳绳比赛", CULTURE, "文体委员"),
        ItemSpec(11, "开展师德师风专题教育和师德演讲比赛", STUDY, "宣传委员"),
        ItemSpec(11, "组织工会委员和小组长参加业务培训", SELF, "工会主席"),
        ItemSpec(12, "举办“迎新年”教职工联欢会和冬季长跑", CULTURE, "文体委员"),
        ItemSpec(12, "公开年度工会经费收支，接受经费审查", SELF, "经审委员"),
        ItemSpec(12, "完成年度工作总结和档案归档", SELF, "工会主席"),
    ],
)


OFFICE = PlanTemplate(
    key="office",
    label=_("机关工会"),
    description=_("党政机关、事业单位机关工会：理论学习、创先争优、健康文体和干部职工关爱。"),
    kinds=(UnitKind.UNION,),
    title="{unit}{year}年工作要点",
    guiding=(
        "以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大和二十届历次全会精神，"
        "在机关党组织领导下，围绕中心、服务大局，以建设“模范机关”为目标，团结动员机关干部职工"
        "履职尽责、担当作为，推进职工之家建设，增强机关干部职工的获得感、幸福感和归属感。"
    ),
    sections=[
        (
            1,
            "工作目标",
            "会员入会率保持在98%以上；全年组织集体活动不少于10次；职工健康体检全覆盖；"
            "困难职工和生病住院职工慰问及时率100%；争创“模范职工之家”。",
        ),
        (1, "重点任务", ""),
        (
            2,
            "强化政治理论学习",
            "配合机关党组织开展理论学习，组织读书月、知识竞赛和主题宣讲，培育积极健康的机关文化。",
        ),
        (
            2,
            "推进民主管理和务公开",
            "召开职工（会员）代表大会，听取机关工作和经费使用情况报告；推进机关事务公开，收集合理化建议。",
        ),
        (
            2,
            "开展岗位建功活动",
            "围绕机关年度重点工作开展岗位练兵和业务技能比武，评选“岗位能手”和“最美机关人”。",
        ),
        (
            2,
            "丰富机关文体生活",
            "组织健步走、乒乓球、羽毛球、登山等健身活动，支持文体协会开展日常活动，办好“迎新春”联欢。",
        ),
        (
            2,
            "做好关爱服务",
            "落实节日慰问、生日慰问和生病住院慰问，夏季开展“送清凉”，组织职工健康体检和心理健康讲座，"
            "关心退休干部职工。",
        ),
        (2, "做好女职工工作", "开展“三八”节系列活动，组织女职工“两癌”筛查，落实女职工特殊权益保护。"),
        (2, "加强工会自身建设", "规范工会经费使用和审查，完善工会工作制度，做好会员信息管理和档案整理。"),
    ],
    targets=[
        TargetSpec("会员入会率", ">=", 98, "%", "members.membership_rate"),
        TargetSpec("组织集体活动", ">=", 10, "次", "activities.held"),
        TargetSpec("干部职工参加活动", ">=", 300, "人次", "activities.participant_times"),
        TargetSpec("职工健康体检覆盖率", "==", 100, "%"),
        TargetSpec("收集合理化建议", ">=", 20, "条"),
        TargetSpec("计划事项按期完成率", ">=", 90, "%", "plans.items_done_rate"),
    ],
    items=[
        ItemSpec(0, "职工生日慰问和生病住院慰问", CARE, "生活委员"),
        ItemSpec(0, "文体协会每月开展一次活动", CULTURE, "文体委员"),
        ItemSpec(0, "职工书屋开放，推荐月度好书", STUDY, "宣传委员"),
        _festival("chunjie", -10, "春节前走访慰问困难职工和退休干部", CARE, "工会主席"),
        _festival("chunjie", -5, "举办“迎新春”职工联欢活动", CULTURE, "文体委员"),
        ItemSpec(2, "召开工会委员会议，制定年度工作要点", SELF, "工会主席"),
        _festival("funv", 0, "开展“三八”节主题活动", WOMEN, "女工委员"),
        ItemSpec(3, "组织女职工“两癌”筛查", WOMEN, "女工委员"),
        ItemSpec(3, "召开职工（会员）代表大会，报告工作和经费收支", DEMOCRACY, "工会主席"),
        ItemSpec(4, "开展“书香机关”读书月活动", STUDY, "宣传委员"),
        ItemSpec(4, "组织春季健步走", CULTURE, "文体委员"),
        _festival("laodong", -3, "“五一”前评选表彰“最美机关人”", COMPETITION, "工会主席"),
        _festival("qingnian", 0, "组织青年干部“五四”主题交流活动", STUDY, "组织委员"),
        ItemSpec(5, "举办乒乓球、羽毛球比赛", CULTURE, "文体委员"),
        _festival("duanwu", -2, "端午节慰问干部职工", CARE, "生活委员"),
        ItemSpec(6, "开展业务知识竞赛", COMPETITION, "组织委员"),
        ItemSpec(7, "夏季高温“送清凉”，慰问一线和外勤职工", CARE, "生活委员"),
        ItemSpec(7, "组织职工健康体检", CARE, "生活委员"),
        ItemSpec(8, "开展“金秋助学”", CARE, "生活委员"),
        ItemSpec(9, "举办职工心理健康讲座", CARE, "女工委员"),
        _festival("zhongqiu", -5, "中秋节前走访慰问困难职工和退休干部", CARE, "工会主席"),
        _festival("guoqing", -3, "开展“迎国庆”主题活动", CULTURE, "宣传委员"),
        _festival("chongyang", 0, "重阳节看望退休干部", CARE, "生活委员"),
        ItemSpec(10, "组织秋季登山活动", CULTURE, "文体委员"),
        ItemSpec(11, "开展岗位练兵和业务技能比武", COMPETITION, "组织委员"),
        ItemSpec(11, "收集整理合理化建议并反馈采纳情况", DEMOCRACY, "组织委员"),
        ItemSpec(12, "工会经费审查和收支公开", SELF, "经审委员"),
        ItemSpec(12, "年度工作总结，做好档案归档", SELF, "工会主席"),
    ],
)


COMPANY = PlanTemplate(
    key="company",
    label=_("企业工会"),
    description=_("企业工会：职代会和集体协商、厂务公开、劳动竞赛和安康杯、一线职工关爱。"),
    kinds=(UnitKind.UNION,),
    title="{unit}{year}年工作计划",
    guiding=(
        "以习近平新时代中国特色社会主义思想为指导，深入贯彻党的二十大和二十届历次全会精神，"
        "围绕企业年度生产经营目标，坚持以职工为中心，深化民主管理，广泛开展劳动和技能竞赛，"
        "构建和谐劳动关系，做好职工服务，推动企业高质量发展与职工共同成长。"
    ),
    sections=[
        (
            1,
            "工作目标",
            "职工入会率95%以上，农民工入会率100%；职代会按期召开，工资集体协商如期完成；"
            "全年组织劳动竞赛和技术比武不少于4场；收集合理化建议不少于50条；困难职工帮扶全覆盖。",
        ),
        (1, "主要工作", ""),
        (
            2,
            "深化民主管理",
            "召开职工代表大会，审议企业发展规划和涉及职工切身利益的重大事项；开展工资集体协商，"
            "签订工资专项集体合同和女职工特殊权益保护专项集体合同；推进厂务公开，组织合理化建议征集。",
        ),
        (
            2,
            "开展劳动和技能竞赛",
            "围绕生产经营重点开展劳动竞赛，组织技术比武和岗位练兵，开展“安康杯”竞赛和“安全生产月”活动，"
            "加强群众性劳动保护监督检查，评选劳动模范和先进班组。",
        ),
        (
            2,
            "做好职工服务和帮扶",
            "完善困难职工档案，落实“两节”送温暖、夏季“送清凉”和“金秋助学”，组织职工健康体检，关心农民工和一线职工。",
        ),
        (
            2,
            "丰富职工文化生活",
            "组织职工运动会、技能节和文艺演出，建好职工书屋和职工之家，支持各兴趣协会开展活动。",
        ),
        (2, "维护女职工权益", "开展“三八”节活动和“巾帼建功”竞赛，组织女职工健康体检，推进女职工休息哺乳室建设。"),
        (2, "加强工会自身建设", "加强班组工会小组建设，规范工会经费管理，开展工会干部培训。"),
    ],
    targets=[
        TargetSpec("职工入会率", ">=", 95, "%", "members.membership_rate"),
        TargetSpec("发展新会员", ">=", 30, "人", "members.joined"),
        TargetSpec("劳动竞赛和技术比武", ">=", 4, "场"),
        TargetSpec("收集合理化建议", ">=", 50, "条"),
        TargetSpec("职工参加活动", ">=", 800, "人次", "activities.participant_times"),
        TargetSpec("安全生产事故", "<=", 0, "起"),
        TargetSpec("送温暖慰问困难职工", ">=", 30, "户"),
    ],
    items=[
        ItemSpec(0, "劳动保护监督检查员每月开展安全检查，跟踪隐患整改", COMPETITION, "劳动保护监督员"),
        ItemSpec(0, "困难职工档案动态管理，做好日常帮扶", CARE, "生活委员"),
        ItemSpec(0, "各班组工会小组每季度开展一次活动", CULTURE, "各工会小组"),
        _festival("chunjie", -10, "春节“送温暖”，走访慰问困难职工、劳模和坚守岗位的一线职工", CARE, "工会主席"),
        _festival("chunjie", -6, "为春节返乡农民工职工送车票、送年货", CARE, "生活委员"),
        ItemSpec(2, "召开工会委员会议，部署全年工作", SELF, "工会主席"),
        ItemSpec(3, "开展工资集体协商，签订工资专项集体合同", DEMOCRACY, "工会主席"),
        _festival("funv", 0, "开展“三八”节活动，启动“巾帼建功”竞赛", WOMEN, "女工委员"),
        ItemSpec(3, "召开职工代表大会，审议企业年度工作报告", DEMOCRACY, "工会主席"),
        ItemSpec(4, "启动年度劳动竞赛和“安康杯”竞赛", COMPETITION, "生产委员"),
        ItemSpec(4, "组织女职工健康体检", WOMEN, "女工委员"),
        _festival("laodong", -3, "“五一”表彰劳动模范、先进班组和优秀职工", COMPETITION, "工会主席"),
        _festival("qingnian", 0, "开展青年职工“五四”创新创效交流", STUDY, "组织委员"),
        ItemSpec(5, "举办职工技能比武", COMPETITION, "生产委员"),
        ItemSpec(6, "开展“安全生产月”活动和安全知识竞赛", COMPETITION, "劳动保护监督员"),
        _festival("duanwu", -2, "端午节慰问一线职工", CARE, "生活委员"),
        ItemSpec(7, "夏季“送清凉”，慰问高温岗位职工", CARE, "生活委员"),
        ItemSpec(7, "厂务公开：上半年经营情况和职工关心事项公开", DEMOCRACY, "工会主席"),
        ItemSpec(8, "开展“金秋助学”，资助职工子女入学", CARE, "生活委员"),
        ItemSpec(9, "组织职工健康体检", CARE, "生活委员"),
        _festival("zhongqiu", -5, "中秋节前走访慰问困难职工和退休职工", CARE, "工会主席"),
        _festival("guoqing", -5, "举办职工运动会", CULTURE, "文体委员"),
        ItemSpec(10, "征集合理化建议，评选优秀建议", DEMOCRACY, "组织委员"),
        ItemSpec(11, "劳动竞赛总结评比，表彰先进", COMPETITION, "生产委员"),
        ItemSpec(11, "开展工会干部和班组长培训", SELF, "组织委员"),
        ItemSpec(12, "厂务公开：全年经营情况、福利和经费使用公开", DEMOCRACY, "工会主席"),
        ItemSpec(12, "举办“迎新年”文艺演出", CULTURE, "文体委员"),
        ItemSpec(12, "年度工作总结和经费审查", SELF, "经审委员"),
    ],
)


DEPARTMENT = PlanTemplate(
    key="department",
    label=_("高校院系分工会"),
    description=_("高校二级学院分工会：二级教代会、院务公开、青年教师成长、教职工关爱。"),
    kinds=(UnitKind.SUBUNION,),
    title="{unit}{year}年工作计划",
    guiding=(
        "在学院党委和校工会的领导下，以习近平新时代中国特色社会主义思想为指导，深入贯彻党的二十大和"
        "二十届历次全会精神，围绕学院人才培养、科学研究和学科建设中心任务，推进二级教代会制度建设，"
        "服务教职工成长发展，营造团结和谐、积极向上的学院氛围。"
    ),
    sections=[
        (
            1,
            "工作目标",
            "召开二级教代会1次，院务公开规范及时；组织教职工参加学校各类文体比赛；"
            "青年教师教学竞赛参与率不低于80%；教职工生病、生育、退休慰问全覆盖。",
        ),
        (1, "主要工作", ""),
        (
            2,
            "推进二级教代会和院务公开",
            "召开二级教职工代表大会，审议学院年度工作报告、绩效分配方案等事项；落实院务公开，"
            "涉及教职工切身利益的事项在院内公示。",
        ),
        (
            2,
            "服务青年教师成长",
            "举办青年教师教学竞赛和教学沙龙，开展新老教师“传帮带”结对，组织青年教师座谈会。",
        ),
        (
            2,
            "组织文体活动",
            "组织教职工参加校运会、校园健身跑、合唱比赛等学校活动，开展学院春游、秋季登山等集体活动。",
        ),
        (2, "关爱教职工", "落实生病住院、生育、退休等慰问，做好“两节”走访慰问和困难教职工帮扶。"),
        (2, "加强分工会自身建设", "完善分工会委员分工，做好会员信息更新、活动记录和档案整理。"),
    ],
    targets=[
        TargetSpec("二级教代会", ">=", 1, "次"),
        TargetSpec("组织教职工活动", ">=", 6, "次", "activities.held"),
        TargetSpec("教职工参加活动", ">=", 200, "人次", "activities.participant_times"),
        TargetSpec("青年教师教学竞赛参与率", ">=", 80, "%"),
        TargetSpec("计划事项按期完成率", ">=", 90, "%", "plans.items_done_rate"),
    ],
    items=[
        ItemSpec(0, "教职工生病住院、生育、退休慰问", CARE, "分工会主席"),
        ItemSpec(0, "院务公开栏及时更新", DEMOCRACY, "分工会主席"),
        _festival("chunjie", -10, "春节前走访慰问困难教职工和退休教师", CARE, "分工会主席"),
        ItemSpec(2, "新学期开学，走访慰问返岗教职工", CARE, "分工会主席"),
        ItemSpec(3, "召开分工会委员会议，研究年度工作", SELF, "分工会主席"),
        _festival("funv", 0, "组织女教职工“三八”节活动", WOMEN, "女工委员"),
        ItemSpec(4, "组织学院教职工春游", CULTURE, "文体委员"),
        ItemSpec(4, "召开二级教职工代表大会", DEMOCRACY, "分工会主席"),
        _festival("qingnian", 0, "召开青年教师座谈会", STUDY, "组织委员"),
        ItemSpec(5, "举办学院青年教师教学竞赛", COMPETITION, "组织委员"),
        ItemSpec(5, "组织教职工参加学校合唱比赛", CULTURE, "文体委员"),
        _festival("duanwu", -2, "端午节慰问教职工", CARE, "分工会主席"),
        ItemSpec(6, "二级教代会提案办理情况反馈", DEMOCRACY, "分工会主席"),
        ItemSpec(7, "放假前组织教职工健康体检", CARE, "分工会主席"),
        ItemSpec(8, "配合校工会开展“金秋助学”，资助困难教职工子女", CARE, "分工会主席"),
        ItemSpec(9, "新入职教职工入会，开展新老教师结对", SELF, "组织委员"),
        _festival("jiaoshi", 0, "教师节慰问和优秀教师表彰", STUDY, "分工会主席"),
        _festival("zhongqiu", -5, "中秋节前慰问困难教职工和退休教师", CARE, "分工会主席"),
        ItemSpec(10, "组织教职工参加学校运动会", CULTURE, "文体委员"),
        _festival("chongyang", 0, "重阳节看望退休教师", CARE, "分工会主席"),
        ItemSpec(11, "组织秋季登山活动", CULTURE, "文体委员"),
        ItemSpec(12, "组织教职工参加校园冬季健身跑", CULTURE, "文体委员"),
        ItemSpec(12, "分工会年度工作总结，向校工会报送考核材料", SELF, "分工会主席"),
    ],
)


FEDERATION = PlanTemplate(
    key="federation",
    label=_("县总工会"),
    description=_("县（区）总工会：建会入会、维权服务、劳动竞赛、基层规范化建设和对下指导考核。"),
    kinds=(UnitKind.FEDERATION,),
    title="{unit}{year}年工作要点",
    guiding=(
        "以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大和二十届历次全会精神，"
        "深入学习贯彻习近平总书记关于工人阶级和工会工作的重要论述，坚持党对工会工作的全面领导，"
        "围绕全县经济社会发展大局，突出维权服务基本职责，深化产业工人队伍建设改革，"
        "推进新就业形态劳动者入会和基层工会规范化建设，团结动员全县广大职工建功新时代。"
    ),
    sections=[
        (
            1,
            "工作目标",
            "新建基层工会组织10个以上，新发展会员2000人以上，其中新就业形态劳动者500人以上；"
            "工资集体协商建制率保持在85%以上；“两节”送温暖覆盖困难职工300户以上；"
            "女职工安康互助保险参保5000人以上。",
        ),
        (1, "重点工作", ""),
        (
            2,
            "强化思想政治引领",
            "组织劳模工匠宣讲团进企业、进校园、进社区，开展“中国梦·劳动美”主题教育，选树宣传劳模工匠典型。",
        ),
        (
            2,
            "推进建会入会",
            "聚焦货车司机、快递员、外卖配送员、网约车司机等新就业形态劳动者，开展集中入会行动；"
            "推进小微企业、园区和行业工会联合会建设，扩大工会组织覆盖。",
        ),
        (
            2,
            "依法维护职工权益",
            "推进工资集体协商提质扩面，开展劳动法律监督和职工法律援助，推进厂务公开、职代会制度落实。",
        ),
        (
            2,
            "深化劳动和技能竞赛",
            "围绕重点项目和重点产业开展劳动竞赛，举办全县职工职业技能大赛，开展“安康杯”竞赛，"
            "做好县级劳动模范和“五一劳动奖”推荐评选。",
        ),
        (
            2,
            "做实服务职工工作",
            "开展“两节”送温暖、夏季送清凉、金秋助学和职工医疗互助，建好户外劳动者服务站点，"
            "组织职工疗休养和全县职工运动会。",
        ),
        (
            2,
            "加强女职工工作",
            "推进女职工特殊权益保护专项集体合同，推广女职工安康互助保险，组织“两癌”筛查，建设爱心妈妈小屋。",
        ),
        (
            2,
            "夯实基层基础",
            "开展基层工会规范化建设达标活动，做好基层工会换届指导，加强工会干部培训和工会经费审查监督，"
            "组织年度考核和先进评选。",
        ),
    ],
    targets=[
        TargetSpec("新建基层工会组织", ">=", 10, "个"),
        TargetSpec("新发展会员", ">=", 2000, "人", "members.joined"),
        TargetSpec("新就业形态劳动者入会", ">=", 500, "人"),
        TargetSpec("职工入会率", ">=", 90, "%", "members.membership_rate"),
        TargetSpec("工资集体协商建制率", ">=", 85, "%"),
        TargetSpec("“两节”送温暖慰问困难职工", ">=", 300, "户"),
        TargetSpec("送温暖资金", ">=", 1000000, "元"),
        TargetSpec("女职工安康互助保险参保", ">=", 5000, "人"),
    ],
    items=[
        ItemSpec(0, "户外劳动者服务站点日常运行和巡查", CARE, "服务中心"),
        ItemSpec(0, "职工法律援助和劳动争议调解", DEMOCRACY, "法律部"),
        ItemSpec(0, "基层工会建会入会工作月度调度", SELF, "组织部"),
        ItemSpec(2, "召开全县工会工作会议，部署年度工作", SELF, "办公室"),
        _festival("chunjie", -20, "启动“两节”送温暖活动，走访慰问困难职工和劳模", CARE, "服务中心"),
        _festival("chunjie", -7, "春节前为返乡农民工提供车票和法律咨询服务", CARE, "服务中心"),
        _festival("yuanxiao", 1, "开展“春风行动”，举办节后职工专场招聘会", CARE, "服务中心"),
        ItemSpec(3, "开展新就业形态劳动者集中入会行动", SELF, "组织部"),
        _festival("funv", 0, "开展“三八”系列活动，表彰巾帼建功先进", WOMEN, "女职工部"),
        ItemSpec(3, "推广女职工安康互助保险", WOMEN, "女职工部"),
        ItemSpec(4, "推进工资集体协商“要约行动”", DEMOCRACY, "法律部"),
        ItemSpec(4, "劳模工匠宣讲进企业、进校园", STUDY, "宣传部"),
        _festival("laodong", -5, "召开“五一”表彰大会，表彰劳动模范和先进集体", COMPETITION, "办公室"),
        ItemSpec(5, "启动全县重点项目劳动竞赛", COMPETITION, "经济部"),
        ItemSpec(6, "开展“安康杯”竞赛和“安全生产月”活动", COMPETITION, "经济部"),
        _festival("duanwu", -3, "端午节慰问一线职工和户外劳动者", CARE, "服务中心"),
        ItemSpec(7, "夏季“送清凉”，慰问高温作业职工和户外劳动者", CARE, "服务中心"),
        ItemSpec(7, "基层工会年中工作督查", SELF, "组织部"),
        ItemSpec(8, "开展“金秋助学”，资助困难职工子女", CARE, "服务中心"),
        ItemSpec(9, "举办全县职工职业技能大赛", COMPETITION, "经济部"),
        _festival("zhongqiu", -5, "中秋节前慰问困难职工和劳动模范", CARE, "服务中心"),
        ItemSpec(10, "举办全县职工运动会", CULTURE, "宣传部"),
        ItemSpec(10, "组织女职工“两癌”筛查", WOMEN, "女职工部"),
        ItemSpec(11, "基层工会规范化建设达标验收", SELF, "组织部"),
        ItemSpec(11, "开展工会干部业务培训", SELF, "组织部"),
        ItemSpec(12, "工会经费审查和财务检查", SELF, "经审办"),
        ItemSpec(12, "基层工会年度考核，总结全年工作", SELF, "办公室"),
    ],
)


TEMPLATES: dict[str, PlanTemplate] = {t.key: t for t in (SCHOOL, OFFICE, COMPANY, DEPARTMENT, FEDERATION)}


def choices():
    return [(t.key, t.label) for t in TEMPLATES.values()]


def suggested_for(unit):
    """The template that best suits ``unit``: by kind, and for a union by its name."""
    if unit.kind == UnitKind.FEDERATION:
        return FEDERATION.key
    if unit.kind == UnitKind.SUBUNION:
        return DEPARTMENT.key
    name = unit.name
    if any(word in name for word in ("学校", "小学", "中学", "中心校", "幼儿园", "完小")):
        return SCHOOL.key
    if any(word in name for word in ("公司", "厂", "集团", "银行", "企业")):
        return COMPANY.key
    if any(word in name for word in ("机关", "局", "委员会", "办公室", "政府")):
        return OFFICE.key
    return SCHOOL.key
