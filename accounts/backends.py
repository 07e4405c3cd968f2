"""Signing in with a mobile number as the login name.

Members' logins are named ``m<member id>``: a login name is stored and shown in clear, and a phone
number is personal data kept encrypted. A member still types her phone number to sign in; this
backend finds her login by the phone's blind index and checks the password as Django does.
"""

import re

from django.contrib.auth.backends import ModelBackend

from accounts.models import User

MOBILE = re.compile(r"^1\d{10}$")


class PhoneBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None or not MOBILE.match(username.strip()):
            return None
        users = list(User.objects.with_phone(username.strip())[:2])
        if len(users) != 1:
            return None  # no login, or a number shared by two (ambiguous): the ordinary name is needed
        user = users[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
