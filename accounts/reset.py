"""A password reset link an officer issues for someone who forgot their password and cannot sign in by SMS.

Who may issue one: whoever assigns roles where every role of the person lies, and where the person's
member record (if any) is kept (``orgs.assign_roles``: a union's chair on the union and its subtree, the
federation's officer below the federation). Whoever sets the password gets all of the login's roles, so
nobody may reach beyond their own scope with it: the rule orgs.services.links_renewable applies to
first-login links. Never for oneself (that is 修改密码), a staff login or a superuser (the site's
administrators are not any unit's business), or a deactivated login.

The link is a Django password-reset token of its own salt (a welcome link is not a reset link and the
other way round): it lapses after settings.PASSWORD_RESET_TIMEOUT, and as soon as the password is set or
the person signs in, because the token hashes both. Issuing it changes nothing of the login (the old
password keeps working until the new one is set) and writes an AccessLog row: who was shown a link that
signs whom in.
"""

import logging

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import log_sensitive_read
from core.language import written_time

log = logging.getLogger(__name__)

PERMISSION = "orgs.assign_roles"


class ResetTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.reset.ResetTokenGenerator"


reset_token_generator = ResetTokenGenerator()


def may_reset(*, by, user) -> bool:
    """May ``by`` issue a password reset link for ``user``?"""
    return user.pk in resettable(by=by, users=[user])


def resettable(*, by, users) -> set[int]:
    """The ids of ``users`` for whom ``by`` may issue a reset link, in four queries however many there
    are (the roles page asks for each person it lists, so that it offers the link only where it works)."""
    from members.models import Member
    from orgs.models import RoleAssignment

    ids = {
        user.pk for user in users if user.pk != by.pk and user.is_active and not (user.is_staff or user.is_superuser)
    }
    if not ids:
        return set()
    roles = RoleAssignment.objects.filter(user_id__in=ids)
    members = Member.objects.filter(user_id__in=ids)
    # A login of no unit is nobody's but the administrators'.
    of_a_unit = set(roles.values_list("user_id", flat=True)) | set(members.values_list("user_id", flat=True))
    beyond = set(
        roles.exclude(pk__in=RoleAssignment.objects.visible_to(by, PERMISSION).values("pk")).values_list(
            "user_id", flat=True
        )
    ) | set(
        members.exclude(pk__in=Member.objects.visible_to(by, PERMISSION).values("pk")).values_list("user_id", flat=True)
    )
    return of_a_unit - beyond


def home_unit(user):
    """The unit a reset for ``user`` is recorded at: their member record's, else their innermost role's."""
    from members.models import Member
    from orgs.models import RoleAssignment

    member = Member.objects.filter(user=user).select_related("unit").first()
    if member is not None:
        return member.unit
    role = RoleAssignment.objects.filter(user=user).select_related("unit").order_by("-unit__path").first()
    return role.unit if role is not None else None


def reset_path(user) -> str:
    """The path of a fresh password reset link for ``user``."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:reset", args=[uidb64, reset_token_generator.make_token(user)])


def issue(request, user) -> str:
    """A reset link for ``user``, issued by ``request.user`` (who may: the caller checked ``may_reset``),
    recorded in the access log. Returns the link's path; the link itself is never logged."""
    log_sensitive_read(request, user, [_("重置密码链接")], unit=home_unit(user))
    log.info("password reset link issued for user %s by user %s", user.pk, request.user.pk)
    return reset_path(user)


def password_set(user) -> None:
    """Tell ``user`` their password was set through a reset link, by every channel they have (an SMS or
    e-mail reaches the person even if someone else opened the link): the officer who issued it saw the
    link too, and only the person can tell whether it was they who used it."""
    from core.notifications import notify

    notify(
        user,
        text=gettext_lazy(
            "您的密码已通过工会签发的重置链接重新设置（%(time)s）。如果不是您本人设置的，请立即联系所在工会。"
        ),
        params={"time": written_time(timezone.now())},
        kind="accounts.password_reset",
    )
