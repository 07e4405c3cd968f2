"""Registration rules and the waiting list (services.registration_add / registration_cancel)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from activities.models import Audience, Registration, RegistrationStatus, Status
from activities.services import (
    ActivityError,
    registration_add,
    registration_add_counted,
    registration_cancel,
    registration_counts,
    waiting_position,
)
from core.models import Notification


def test_a_member_gets_a_place_while_there_is_one(make_activity, me, huiyuan):
    activity = make_activity(capacity=2)
    registration = registration_add(activity=activity, member=me, by=huiyuan)
    assert registration.status == RegistrationStatus.REGISTERED
    assert registration.registered_by == huiyuan


def test_when_full_members_wait_in_the_order_they_came(make_activity, member_factory, zhuxi):
    activity = make_activity(capacity=1)
    first, second, third = (member_factory(name) for name in ("甲", "乙", "丙"))
    registration_add(activity=activity, member=first, by=zhuxi)
    waiting_b = registration_add(activity=activity, member=second, by=zhuxi)
    waiting_c = registration_add(activity=activity, member=third, by=zhuxi)
    assert (waiting_b.status, waiting_c.status) == (RegistrationStatus.WAITING, RegistrationStatus.WAITING)
    assert (waiting_position(waiting_b), waiting_position(waiting_c)) == (1, 2)
    # The card's one query says the same, and the counts.
    assert registration_counts(activity, waiting_c) == {"registered_count": 1, "waiting_count": 2, "position": 2}
    assert registration_counts(activity, waiting_b)["position"] == 1
    assert registration_counts(activity)["position"] is None


def test_members_registered_in_the_same_instant_wait_in_the_order_of_their_rows(make_activity, member_factory, zhuxi):
    activity = make_activity(capacity=0)
    now = timezone.now()
    first, second = (
        registration_add(activity=activity, member=member_factory(name), by=zhuxi, now=now) for name in ("甲", "乙")
    )
    assert (waiting_position(first), waiting_position(second)) == (1, 2)
    assert (registration_counts(activity, first)["position"], registration_counts(activity, second)["position"]) == (
        1,
        2,
    )


def test_the_counts_read_with_a_registration_are_those_it_left(make_activity, member_factory, zhuxi):
    """What the card shows after a tap comes from the statement that wrote the registration: the same
    figures a fresh count gives, the new row counted once, on either database."""
    activity = make_activity(capacity=2)
    now = timezone.now()
    for name in ("甲", "乙", "丙", "丁"):
        # The last two join in the same instant: the waiting list orders them by row.
        registration, counts = registration_add_counted(
            activity=activity, member=member_factory(name), by=zhuxi, now=now if name in "丙丁" else None
        )
        assert counts == registration_counts(activity, registration)
    assert counts == {"registered_count": 2, "waiting_count": 2, "position": 2}
    # Someone left the list: the next to wait is counted after those still on it.
    registration_cancel(registration=registration, by=zhuxi)
    registration, counts = registration_add_counted(activity=activity, member=member_factory("戊"), by=zhuxi)
    assert (
        counts
        == registration_counts(activity, registration)
        == {
            "registered_count": 2,
            "waiting_count": 2,
            "position": 2,
        }
    )


def test_an_activity_without_a_capacity_counts_nothing_under_its_lock(make_activity, me, huiyuan):
    registration, counts = registration_add_counted(activity=make_activity(capacity=None), member=me, by=huiyuan)
    assert registration.status == RegistrationStatus.REGISTERED and counts is None


def test_registering_twice_says_so_and_counts_once(make_activity, me, huiyuan):
    activity = make_activity(capacity=5)
    registration_add(activity=activity, member=me, by=huiyuan)
    with pytest.raises(ActivityError, match="已经报名"):
        registration_add(activity=activity, member=me, by=huiyuan)
    assert activity.registrations.count() == 1


def test_registering_twice_while_waiting_gives_the_place_in_the_queue(
    make_activity, me, huiyuan, member_factory, zhuxi
):
    activity = make_activity(capacity=1)
    registration_add(activity=activity, member=member_factory("甲"), by=zhuxi)
    registration_add(activity=activity, member=me, by=huiyuan)
    with pytest.raises(ActivityError, match="候补名单中（第 1 位）"):
        registration_add(activity=activity, member=me, by=huiyuan)


def test_outside_the_window_a_member_cannot_register(make_activity, me, huiyuan):
    now = timezone.now()
    early = make_activity(registration_opens_at=now + datetime.timedelta(days=1))
    late = make_activity(registration_closes_at=now - datetime.timedelta(minutes=1))
    with pytest.raises(ActivityError, match="报名尚未开始"):
        registration_add(activity=early, member=me, by=huiyuan)
    with pytest.raises(ActivityError, match="报名已截止"):
        registration_add(activity=late, member=me, by=huiyuan)
    assert not Registration.objects.exists()


def test_a_member_too_early_is_told_when_registration_opens_as_the_activity_page_writes_it(make_activity, me, huiyuan):
    opens = timezone.localtime(timezone.now() + datetime.timedelta(days=1)).replace(second=0, microsecond=0)
    early = make_activity(registration_opens_at=opens)
    with pytest.raises(ActivityError) as refused:
        registration_add(activity=early, member=me, by=huiyuan)
    written = f"{opens.year}年{opens.month}月{opens.day}日 {opens:%H:%M}"
    assert str(refused.value) == f"报名尚未开始，开始时间为 {written}。"


def test_an_officer_may_register_someone_after_the_deadline(make_activity, me, zhuxi):
    activity = make_activity(registration_closes_at=timezone.now() - datetime.timedelta(hours=1))
    assert registration_add(activity=activity, member=me, by=zhuxi).status == RegistrationStatus.REGISTERED


@pytest.mark.parametrize("status", [Status.DRAFT, Status.HELD, Status.CANCELLED])
def test_nobody_registers_for_a_draft_held_or_cancelled_activity(make_activity, me, zhuxi, status):
    with pytest.raises(ActivityError):
        registration_add(activity=make_activity(status=status), member=me, by=zhuxi)


@pytest.mark.parametrize(
    ("audience", "fields", "message"),
    [
        (Audience.WOMEN, {}, "仅限女职工"),
        (Audience.RETIREES, {}, "仅限离退休会员"),
        (Audience.YOUNG, {"max_age": 35}, "35岁及以下"),
        (Audience.UNIT, {"audience_unit": "g2"}, "仅限西街完小工会小组"),
    ],
)
def test_an_ineligible_member_is_told_why(make_activity, member_factory, zhuxi, units, audience, fields, message):
    if "audience_unit" in fields:
        fields = {"audience_unit": units[fields["audience_unit"]]}
    activity = make_activity(audience=audience, **fields)
    man_of_fifty = member_factory("老王", gender="M", birth_date=datetime.date(1975, 1, 1))
    with pytest.raises(ActivityError, match=message):
        registration_add(activity=activity, member=man_of_fifty, by=zhuxi)


def test_eligible_members_join_targeted_activities(make_activity, member_factory, zhuxi, units):
    young_woman = member_factory("小李", "g2", gender="F", birth_date=timezone.localdate().replace(year=2000))
    retiree = member_factory("老张", "g2", is_retiree=True)
    assert registration_add(activity=make_activity(audience=Audience.WOMEN), member=young_woman, by=zhuxi)
    assert registration_add(activity=make_activity(audience=Audience.YOUNG, max_age=35), member=young_woman, by=zhuxi)
    assert registration_add(
        activity=make_activity(audience=Audience.UNIT, audience_unit=units["g2"]), member=young_woman, by=zhuxi
    )
    assert registration_add(activity=make_activity(audience=Audience.RETIREES), member=retiree, by=zhuxi)


def test_a_member_of_another_branch_cannot_join_a_groups_activity(make_activity, member_factory, zhuxi, units):
    activity = make_activity(unit=units["g1"])
    other = member_factory("外单位", "office")
    with pytest.raises(ActivityError, match="面向"):
        registration_add(activity=activity, member=other, by=zhuxi)


def test_a_member_who_left_cannot_register(make_activity, member_factory, zhuxi):
    gone = member_factory("已退会", status="left")
    with pytest.raises(ActivityError, match="在会会员"):
        registration_add(activity=make_activity(), member=gone, by=zhuxi)


def test_cancelling_promotes_the_first_waiting_and_tells_them(make_activity, member_factory, me, huiyuan, zhuxi):
    huiyuan.email = "xiaohong@example.cn"
    huiyuan.save()
    activity = make_activity(capacity=1)
    holder = registration_add(activity=activity, member=member_factory("甲"), by=zhuxi)
    mine = registration_add(activity=activity, member=me, by=huiyuan)
    later = registration_add(activity=activity, member=member_factory("乙"), by=zhuxi)

    promoted = registration_cancel(registration=holder, by=zhuxi)

    assert [r.pk for r in promoted] == [mine.pk]
    mine.refresh_from_db()
    later.refresh_from_db()
    assert mine.status == RegistrationStatus.REGISTERED and mine.promoted_at is not None
    assert later.status == RegistrationStatus.WAITING and waiting_position(later) == 1
    notice = Notification.objects.get(user=huiyuan)
    assert "候补成功" in notice.text and notice.url.endswith(f"/activities/{activity.pk}/")
    assert notice.kind == "activities.promoted"
    assert activity.registrations.filter(status=RegistrationStatus.REGISTERED).count() == 1


def test_the_promotion_email_goes_out_only_to_those_with_an_address(
    make_activity, member_factory, me, huiyuan, zhuxi, django_capture_on_commit_callbacks
):
    huiyuan.email = "xiaohong@example.cn"
    huiyuan.save()
    activity = make_activity(capacity=1)
    holder = registration_add(activity=activity, member=member_factory("甲"), by=zhuxi)
    registration_add(activity=activity, member=me, by=huiyuan)
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=holder, by=zhuxi)
    assert [m.to for m in mail.outbox] == [["xiaohong@example.cn"]]
    assert "候补成功" in mail.outbox[0].subject


def test_cancelling_a_waiting_place_promotes_nobody(make_activity, member_factory, zhuxi):
    activity = make_activity(capacity=1)
    registration_add(activity=activity, member=member_factory("甲"), by=zhuxi)
    waiting = registration_add(activity=activity, member=member_factory("乙"), by=zhuxi)
    assert registration_cancel(registration=waiting, by=zhuxi) == []


def test_cancelling_twice_is_refused(make_activity, me, huiyuan):
    registration = registration_add(activity=make_activity(), member=me, by=huiyuan)
    registration_cancel(registration=registration, by=huiyuan)
    with pytest.raises(ActivityError, match="已经取消"):
        registration_cancel(registration=registration, by=huiyuan)


def test_a_member_may_register_again_after_cancelling(make_activity, me, huiyuan):
    activity = make_activity(capacity=3)
    registration_cancel(registration=registration_add(activity=activity, member=me, by=huiyuan), by=huiyuan)
    again = registration_add(activity=activity, member=me, by=huiyuan)
    assert again.status == RegistrationStatus.REGISTERED
    assert activity.registrations.count() == 2


def test_a_member_who_moves_out_gives_her_place_to_the_first_waiting(
    make_activity, me, huiyuan, member_factory, units, zhuxi
):
    from members import services as members_svc

    school_day = make_activity(title="教职工趣味运动会", capacity=1)
    county_day = make_activity(title="全县教职工健步走", unit=units["county"])
    held = make_activity(title="读书分享会", status=Status.HELD, starts_at=timezone.now() - datetime.timedelta(days=3))
    Registration.objects.create(activity=held, member=me, status=RegistrationStatus.REGISTERED)
    registration_add(activity=school_day, member=me, by=huiyuan)
    registration_add(activity=county_day, member=me, by=huiyuan)
    waiting = registration_add(activity=school_day, member=member_factory("李四"), by=zhuxi)
    assert waiting.status == RegistrationStatus.WAITING

    transfer = members_svc.member_transfer_start(member=me, to_unit=units["office"], reason="调动", by=zhuxi)
    assert school_day.registrations.get(member=me).status == RegistrationStatus.REGISTERED  # pending: still hers
    members_svc.member_transfer_accept(transfer=transfer, by=zhuxi)

    assert school_day.registrations.get(member=me).status == RegistrationStatus.CANCELLED
    told = Notification.objects.filter(user=huiyuan, kind="activities.place_given_up").get()
    assert told.text == "您已不在城关镇中心学校工会，“教职工趣味运动会”的报名已取消，名额让给候补的会员。"
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED
    assert county_day.registrations.get(member=me).status == RegistrationStatus.REGISTERED  # the county is above both
    assert held.registrations.get(member=me).status == RegistrationStatus.REGISTERED  # the record of what was held


def test_a_member_who_leaves_the_union_holds_no_place(make_activity, me, huiyuan):
    from members import services as members_svc
    from members.models import Status as MemberStatus
    from members.models import StatusReason

    activity = make_activity(capacity=5)
    registration_add(activity=activity, member=me, by=huiyuan)
    members_svc.member_status_change(member=me, status=MemberStatus.LEFT, reason=StatusReason.RESIGNED)
    assert activity.registrations.get(member=me).status == RegistrationStatus.CANCELLED
