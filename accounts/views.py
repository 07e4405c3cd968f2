from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from accounts import reset
from accounts.forms import LoginForm
from accounts.welcome import welcome_days
from core.params import next_url
from portal import sms


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # What someone who forgot the password can do: a member signs in by SMS code where the site sends them.
        context["sms_ready"] = sms.is_configured()
        # The demo logins are printed on the page only on a local development site.
        context["show_demo_logins"] = settings.DEBUG
        # Sent here from a page (a link in a notification, a session that ran out): say why the form stands
        # between them and it. Opening the site itself (its home) needs no explaining.
        wanted = self.get_redirect_url()
        context["login_needed"] = bool(wanted) and wanted != reverse("workbench:home")
        return context


class LogoutView(auth_views.LogoutView):
    """Signing out says so on the login page it leads to: on an office PC others use, the officer sees
    that the session is over rather than a login form that looks the same as before."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("已退出登录。"))
        return response


class WelcomeView(auth_views.PasswordResetConfirmView):
    """A first-login link (accounts.welcome): the person sets their own password and is signed in.

    Django's view checks the token, moves it out of the URL into the session before the form is shown
    (so it does not leak through the Referer), and never caches or logs the passwords."""

    template_name = "accounts/welcome.html"
    post_reset_login = True
    # Several backends are configured (axes, phone numbers): name the one that signs a password login in.
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("workbench:home")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        # A login deactivated after its link was sent must not come back to life through the link.
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, self.done_message(form.user))
        return response

    def done_message(self, user):
        return _("密码已设置，欢迎使用。您的登录名是 %(username)s，以后用它和新密码登录。") % {
            "username": user.get_username()
        }


class ResetView(WelcomeView):
    """A password reset link an officer issued (accounts.reset): the person sets a new password, once,
    and is signed in; the link is then spent, like a first-login link."""

    template_name = "accounts/reset.html"
    token_generator = reset.reset_token_generator

    def form_valid(self, form):
        response = super().form_valid(form)
        reset.password_set(form.user)
        return response

    def done_message(self, user):
        return _("新密码已设置。您的登录名是 %(username)s，以后用它和新密码登录。") % {"username": user.get_username()}


@login_required
@require_http_methods(["GET", "POST"])
def reset_issue(request, pk):
    """重置密码: the officer confirms, then the link is shown once, on this page, to copy or print.
    Someone the officer may not reset (above, outside, a superuser) is a 404: no hint they exist."""
    person = get_object_or_404(get_user_model(), pk=pk)
    if not reset.may_reset(by=request.user, user=person):
        raise Http404
    context = {"person": person, "days": welcome_days(), "back": next_url(request, reverse("workbench:home"))}
    if request.method == "POST":
        context["url"] = request.build_absolute_uri(reset.issue(request, person))
    return render(request, "accounts/reset_issue.html", context)


LARGE_TEXT_COOKIE = "gonghui_large_text"


def large_text_enabled(request) -> bool:
    """大字版 is on for this request: the signed-in user's choice, or the browser's before signing in."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.large_text
    return request.COOKIES.get(LARGE_TEXT_COOKIE) == "1"


@require_POST
def large_text(request):
    """Switch 大字版 on or off, remembered on the user (and in a cookie for pages before signing in)."""
    on = request.POST.get("large_text") == "1"
    if request.user.is_authenticated and request.user.large_text != on:
        request.user.large_text = on
        request.user.save(update_fields=["large_text"])
    response = redirect(next_url(request, "/"))
    response.set_cookie(
        LARGE_TEXT_COOKIE, "1" if on else "0", max_age=365 * 24 * 3600, samesite="Lax", secure=request.is_secure()
    )
    return response


@require_POST
def language(request):
    """The language switch: Django's set_language (the cookie for this browser), and the choice kept on
    the signed-in user, who then reads their notifications in it and finds it on another browser."""
    response = set_language(request)
    chosen = request.POST.get("language")
    user = request.user
    if user.is_authenticated and chosen in dict(settings.LANGUAGES) and user.language != chosen:
        user.language = chosen
        user.save(update_fields=["language"])
    return response
