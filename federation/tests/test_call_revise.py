"""A call issued with a typo or a requirement left out is corrected in place, whoever has filed."""

import pytest
from django.urls import reverse

from federation import services
from federation.models import Filing, FilingCall


def keys(call):
    return [str(field.pk) for field in call.fields.order_by("order")]


def test_the_county_corrects_a_report_calls_title_and_instructions_and_the_unions_are_told(
    client_for, report_call, units, xianzong, zhuxi
):
    members, women = keys(report_call)
    services.report_submit(call=report_call, unit=units["school"], values={members: "4", women: "1"}, by=zhuxi)
    client = client_for(xianzong)
    call_page = client.get(reverse("federation:call", args=[report_call.pk]) + "?as=reviewer").content.decode()
    url = reverse("federation:call_edit", args=[report_call.pk])
    assert url in call_page
    assert "基层工会统计年报" in client.get(url).content.decode()  # the form starts from the call as it is

    response = client.post(
        url, {"title": "2026年基层工会统计年报", "instructions": "女职工人数含退休返聘。"}, follow=True
    )
    page = response.content.decode()
    assert "已保存，已通知被要求报送的单位。" in page and "女职工人数含退休返聘。" in page
    report_call.refresh_from_db()
    assert (report_call.title, report_call.instructions) == ("2026年基层工会统计年报", "女职工人数含退休返聘。")
    assert Filing.objects.get(call=report_call).title == "2026年基层工会统计年报"  # the submitted report's label
    told = zhuxi.notifications.filter(kind="federation.call").order_by("-pk").first()
    assert told.text == "清河县总工会修改了任务“2026年基层工会统计年报”的标题或说明，请查看。"
    assert told.url == reverse("federation:call", args=[report_call.pk])


def test_saving_the_same_text_tells_nobody(client_for, plan_call, xianzong, zhuxi):
    before = zhuxi.notifications.count()
    response = client_for(xianzong).post(
        reverse("federation:call_edit", args=[plan_call.pk]),
        {"title": plan_call.title, "instructions": ""},
        follow=True,
    )
    assert "标题和说明没有改动。" in response.content.decode()
    assert zhuxi.notifications.count() == before


def test_a_call_without_a_title_comes_back_with_what_was_typed(client_for, plan_call, xianzong):
    response = client_for(xianzong).post(
        reverse("federation:call_edit", args=[plan_call.pk]), {"title": "  ", "instructions": "请附上职代会决议。"}
    )
    assert response.status_code == 200
    assert "请附上职代会决议。" in response.content.decode() and response.context["form"].errors["title"]
    assert FilingCall.objects.get(pk=plan_call.pk).title == "年度工作计划报备"


def test_a_call_withdrawn_while_the_form_was_open_is_not_written_again(plan_call, xianzong):
    FilingCall.objects.filter(pk=plan_call.pk).delete()
    with pytest.raises(services.FederationError, match="这项任务已经撤回"):
        services.call_revise(call=plan_call, title="新标题", instructions="", by=xianzong)
    assert not FilingCall.objects.exists()


@pytest.mark.parametrize("persona", ["zhuxi", "outsider"])
def test_only_the_issuing_unit_corrects_a_call(persona, request, client_for, plan_call):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("federation:call_edit", args=[plan_call.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "改了", "instructions": ""}).status_code == 404
    assert FilingCall.objects.get(pk=plan_call.pk).title == "年度工作计划报备"


def test_a_chair_who_chose_english_reads_the_correction_in_english(plan_call, xianzong, zhuxi):
    zhuxi.language = "en"
    zhuxi.save(update_fields=["language"])
    services.call_revise(call=plan_call, title="年度工作计划报备（修订）", instructions="", by=xianzong)
    told = zhuxi.notifications.filter(kind="federation.call").order_by("-pk").first()
    assert (
        told.text == "清河县总工会 changed the title or instructions of “年度工作计划报备（修订）”; please have a look."
    )
