from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Case, Value, When
from django.utils.translation import gettext_lazy as _

from core.encryption import EncryptedTextField, blind_index, is_unreadable
from core.pinyin import full_pinyin

PHONE_INDEX_PURPOSE = "user-phone"


def phone_index(phone: str) -> str:
    """The blind index a login is found by from its phone number (the number itself is encrypted)."""
    return blind_index("".join((phone or "").split()), PHONE_INDEX_PURPOSE)


class UserQuerySet(models.QuerySet):
    def in_name_order(self):
        """These logins as a roster lists people: by the pinyin of their names, surname first (code
        points would put 程 between 陈 and 褚). For the short lists of officers a form offers: logins
        keep no pinyin, so the names are read once and sorted here."""
        rows = self.values_list("pk", "full_name", "username")
        ordered = sorted(rows, key=lambda row: (full_pinyin(row[1] or row[2]), row[1] or row[2], row[0]))
        if not ordered:
            return self
        place = Case(*(When(pk=pk, then=Value(i)) for i, (pk, _name, _login) in enumerate(ordered)))
        return self.order_by(place, "pk")


class Users(UserManager.from_queryset(UserQuerySet)):
    def with_phone(self, phone):
        """Logins whose phone is ``phone``: matched by its blind index, never by the clear number."""
        return self.filter(phone_index=phone_index(phone)) if phone else self.none()


class User(AbstractUser):
    """A login. Chinese names are one field (姓名), not first and last name."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    # Encrypted like a member's phone: a login's number is as personal as the roster's.
    phone = EncryptedTextField(_("手机号"), blank=True)
    phone_index = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    # 大字版: larger type and targets on every page, the elder-friendly mode government sites offer.
    large_text = models.BooleanField(_("大字版"), default=False)
    # The language chosen with the switch in the page, remembered like 大字版: it follows the person to
    # another browser, and what the product tells them (notifications) is written in it. Empty: never
    # chose, so the site's (Chinese).
    language = models.CharField(_("界面语言"), max_length=10, blank=True, choices=settings.LANGUAGES)

    objects = Users()

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        if not is_unreadable(self.phone):
            self.phone_index = phone_index(self.phone)
        super().save(*args, **kwargs)

    def awaits_first_login(self) -> bool:
        """Opened for someone who has neither set a password nor signed in yet: their first-login link
        (accounts.welcome) is all they have to get in."""
        return self.last_login is None and not self.has_usable_password()

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.full_name or self.username
