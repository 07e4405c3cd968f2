"""Standard budget lines get a key, and their category and name are written in Chinese.

Before, a new budget's lines were named in the language of whoever created it, and payments and income
found their line by name in the language of whoever recorded them: a budget created in English took no
care payment booked in Chinese. Existing lines are recognised by their name in either language (the
names as they were shipped, frozen here); a line an officer added keeps a blank key and its own name.
"""

from django.db import migrations, models

# key: (direction, category and name in Chinese, the same in English)
STANDARD = {
    "dues": ("income", ("会费收入", "会费收入"), ("Dues income", "Dues income")),
    "allocation": ("income", ("拨缴经费收入", "拨缴经费收入"), ("Employer allocation income",) * 2),
    "subsidy_upper": ("income", ("上级补助收入", "上级补助收入"), ("Subsidies from the federation",) * 2),
    "subsidy_employer": ("income", ("行政补助收入", "行政补助收入"), ("Subsidies from the employer",) * 2),
    "income_other": ("income", ("其他收入", "其他收入"), ("Other income", "Other income")),
    "education": ("spending", ("职工活动支出", "职工教育"), ("Staff activities", "Staff education")),
    "culture": ("spending", ("职工活动支出", "文体活动"), ("Staff activities", "Culture and sports")),
    "publicity": ("spending", ("职工活动支出", "宣传活动"), ("Staff activities", "Publicity")),
    "activity_other": ("spending", ("职工活动支出", "其他活动"), ("Staff activities", "Other activities")),
    "protection": ("spending", ("维权支出", "劳动保护"), ("Rights protection", "Labour protection")),
    "hardship": ("spending", ("维权支出", "困难职工帮扶"), ("Rights protection", "Help for staff in hardship")),
    "rights_other": ("spending", ("维权支出", "其他维权支出"), ("Rights protection", "Other rights protection")),
    "training": ("spending", ("业务支出", "培训"), ("Union business", "Training")),
    "meetings": ("spending", ("业务支出", "会议"), ("Union business", "Meetings")),
    "business_other": ("spending", ("业务支出", "其他业务支出"), ("Union business", "Other business")),
    "capital": ("spending", ("资本性支出", "资本性支出"), ("Capital spending", "Capital spending")),
    "other": ("spending", ("其他支出", "其他支出"), ("Other spending", "Other spending")),
}


def set_keys(apps, schema_editor):
    BudgetLine = apps.get_model("finance", "BudgetLine")
    for key, (direction, chinese, english) in STANDARD.items():
        for category, name in {chinese, english}:
            BudgetLine.objects.filter(direction=direction, category=category, name=name, key="").update(
                key=key, category=chinese[0], name=chinese[1]
            )


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="budgetline",
            name="key",
            field=models.CharField(blank=True, editable=False, max_length=30),
        ),
        migrations.RunPython(set_keys, migrations.RunPython.noop, elidable=True),
    ]
