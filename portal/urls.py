from django.urls import path

from portal.views import applications, campaigns, join, me, signin

app_name = "portal"

urlpatterns = [
    # Public: no login.
    path("join/<str:code>/", join.join, name="join"),
    path("join/<str:code>/done/", join.join_done, name="join_done"),
    path("join/<str:code>/status/", join.join_status, name="join_status"),
    path("join/<str:code>/status/reply/", join.join_reply, name="join_reply"),
    path("join/<str:code>/qr.svg", join.join_qr, name="join_qr"),
    path("join/<str:code>/poster/", join.poster, name="poster"),
    path("signin/", signin.signin, name="signin"),
    path("signin/code/", signin.signin_code, name="signin_code"),
    path("invite/", signin.invite, name="invite"),
    # A member's own page.
    path("me/", me.me, name="me"),
    path("me/phone/", me.phone, name="phone"),
    path("me/phone/confirm/", me.phone_confirm, name="phone_confirm"),
    path("me/transfer/", me.transfer, name="transfer"),
    path("me/transfer/units/", me.transfer_units, name="transfer_units"),
    path("me/password/", me.password, name="password"),
    path("me/consent/", me.consent_change, name="consent"),
    path("me/link/", signin.link, name="link"),
    path("me/data.json", me.export, {"fmt": "json"}, name="export_json"),
    path("me/data.xlsx", me.export, {"fmt": "xlsx"}, name="export_xlsx"),
    # Officers.
    path("applications/", applications.application_list, name="applications"),
    path("applications/<int:pk>/", applications.application_detail, name="application"),
    path("applications/<int:pk>/reveal/", applications.reveal, name="reveal"),
    path("applications/<int:pk>/approve/", applications.approve, name="approve"),
    path("applications/<int:pk>/more/", applications.ask_more, name="ask_more"),
    path("applications/<int:pk>/decline/", applications.decline, name="decline"),
    path("applications/<int:pk>/route/", applications.route, name="route"),
    path("applications/<int:pk>/route/units/", applications.route_units, name="route_units"),
    path("applications/<int:pk>/found/", applications.found, name="found"),
    path("invitations/", signin.invitations, name="invitations"),
    path("invitations/status/", signin.invitations_status, name="invitations_status"),
    path("invitations/create/", signin.invitations_create, name="invitations_create"),
    path("invitations/send/", signin.invitations_send, name="invitations_send"),
    path("invitations/sheet/", signin.invitation_sheet, name="invitation_sheet"),
    path("invitations/member/<int:pk>/", signin.member_invitation, name="member_invitation"),
    path("campaigns/", campaigns.campaign_list, name="campaigns"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/targets/", campaigns.target_set, name="target_set"),
    path("campaigns/<int:pk>/target-units/", campaigns.target_units, name="target_units"),
]
