from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.encryption import EncryptedTextField, blind_index, is_unreadable

PHONE_INDEX_PURPOSE = "user-phone"


def phone_index(phone: str) -> str:
    """The blind index a login is found by from its phone number (the number itself is encrypted)."""
    return blind_index("".join((phone or "").split()), PHONE_INDEX_PURPOSE)


class Users(UserManager):
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

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.full_name or self.username
