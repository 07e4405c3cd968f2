from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    # The first-login link an officer sends to someone whose account they opened (accounts.welcome).
    path("welcome/<uidb64>/<token>/", views.WelcomeView.as_view(), name="welcome"),
    # A password reset link an officer issues for someone in their scope (accounts.reset), and where it leads.
    path("reset/<int:pk>/", views.reset_issue, name="reset_issue"),
    path("reset/<uidb64>/<token>/", views.ResetView.as_view(), name="reset"),
    path("large-text/", views.large_text, name="large_text"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html", success_url="/accounts/password/done/"
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
]
