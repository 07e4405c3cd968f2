"""What an applicant agrees to, in plain Chinese (个人信息保护法 articles 14 and 17: purpose, who
handles the data, how long it is kept, how to withdraw).

The statement is versioned: each application and each consent record keeps the version and the
full text the person saw, so that a later wording never changes what somebody agreed to. A change
of wording is a new version here, never an edit of an old one.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

STATEMENT_VERSION = "2026-12-v1"

# One text, translated as a whole; what is stored is the text exactly as the person saw it.
STATEMENT = _(
    """个人信息使用说明（版本 2026-12-v1）

一、我们收集什么：姓名、身份证号、手机号、工作单位、岗位，以及是否为农民工、新就业形态劳动者。

二、用来做什么：只用于办理您的入会申请、建立会员档案、核对您是否已是会员，并在办理过程中联系您。

三、谁能看到：您申请加入的工会的主席和负责会员工作的委员；申请转交或需要建会时，还有县总工会的工作人员。身份证号和手机号加密保存，工作人员查看完整号码会留下记录。

四、保存多久：入会后随会员档案保存，直到您退会后满三年；申请未通过的，在办结后一年内删除。

五、怎样撤回：您可以在“我的”页面撤回对可选用途的同意，或联系所在工会撤回申请、更正或删除信息。撤回不影响撤回前已经办理的事项。"""
)

SHORT = _("我已阅读并同意《个人信息使用说明》，同意工会按说明使用我的信息办理入会。")


@dataclass(frozen=True)
class Purpose:
    key: str
    label: str  # lazy translation


# Uses beyond what joining needs: each may be granted or withdrawn at any time on /me/.
OPTIONAL_PURPOSES = [
    Purpose("news", _("接收工会活动、福利和帮扶政策的短信通知")),
    Purpose("publicity", _("在工会宣传中使用我参加活动的照片和姓名")),
]
PURPOSE_KEYS = [p.key for p in OPTIONAL_PURPOSES]


def purpose_label(key):
    return next((p.label for p in OPTIONAL_PURPOSES if p.key == key), key)
