from django.urls import path

from democracy.views import ballots, board, congress, home, notices, proposals

app_name = "democracy"

urlpatterns = [
    path("", home.index, name="index"),
    # congress
    path("congress/", congress.congress_list, name="congresses"),
    path("congress/new/", congress.congress_create, name="congress_create"),
    path("congress/<int:pk>/", congress.congress_detail, name="congress"),
    path("congress/<int:pk>/edit/", congress.congress_edit, name="congress_edit"),
    path("congress/<int:pk>/sessions/new/", congress.session_create, name="session_create"),
    path("representatives/<int:pk>/", congress.representative_detail, name="representative"),
    path("representatives/<int:pk>/remove/", congress.representative_remove, name="representative_remove"),
    path("sessions/<int:pk>/", congress.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", congress.session_edit, name="session_edit"),
    path("sessions/<int:pk>/check-in/<int:representative_pk>/", congress.session_check_in, name="session_check_in"),
    path("sessions/<int:pk>/resolutions/", congress.resolution_add, name="resolution_add"),
    path("sessions/<int:pk>/close/", congress.session_close, name="session_close"),
    path("sessions/<int:pk>/<str:what>.docx", congress.session_document, name="session_document"),
    path("resolutions/<int:pk>/", congress.resolution_action, name="resolution_action"),
    path("my-code/", congress.my_code, name="my_code"),
    path("my-code.svg", congress.my_code_svg, name="my_code_svg"),
    path("code/<str:token>/", congress.representative_code, name="representative_code"),
    # proposals and suggestions
    path("proposals/", proposals.proposal_list, name="proposals"),
    path("proposals/similar/", proposals.similar, name="similar"),
    path("proposals/statistics/", proposals.statistics, name="statistics"),
    path("suggestions/commendation/", proposals.commendation, name="commendation"),
    path("sessions/<int:session_pk>/proposals/new/", proposals.proposal_create, name="proposal_create"),
    path("suggestions/new/", proposals.suggestion_create, name="suggestion_create"),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/cosign/", proposals.proposal_cosign, name="proposal_cosign"),
    path("proposals/<int:pk>/route/", proposals.proposal_route, name="proposal_route"),
    path("proposals/<int:pk>/vet/", proposals.proposal_vet, name="proposal_vet"),
    path("proposals/<int:pk>/answer/", proposals.proposal_answer, name="proposal_answer"),
    path("proposals/<int:pk>/rate/", proposals.proposal_rate, name="proposal_rate"),
    path("proposals/<int:pk>/close/", proposals.proposal_close, name="proposal_close"),
    # ballots and public notices
    path("ballots/", ballots.ballot_list, name="ballots"),
    path("ballots/new/", ballots.ballot_create, name="ballot_create"),
    path("ballots/<int:pk>/", ballots.ballot_detail, name="ballot"),
    path("ballots/<int:pk>/action/", ballots.ballot_action, name="ballot_action"),
    path("ballots/<int:pk>/vote/", ballots.ballot_vote, name="ballot_vote"),
    path("ballots/<int:pk>/sign/", ballots.ballot_sign, name="ballot_sign"),
    path("ballots/<int:pk>/paper/", ballots.ballot_paper, name="ballot_paper"),
    path("notices/", notices.notice_list, name="notices"),
    path("notices/new/", notices.notice_create, name="notice_create"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice"),
    path("notices/<int:pk>/finalize/", notices.notice_finalize, name="notice_finalize"),
    path("objections/<int:pk>/answer/", notices.objection_answer, name="objection_answer"),
    # disclosure and the opinion box
    path("disclosure/", board.disclosure_list, name="disclosure"),
    path("disclosure/new/", board.disclosure_create, name="disclosure_create"),
    path("disclosure/<int:pk>/publish/", board.disclosure_publish, name="disclosure_publish"),
    path("public/<str:code>/", board.public_board, name="public_board"),
    path("opinions/", board.opinion_box, name="opinions"),
    path("opinions/inbox/", board.opinion_inbox, name="opinion_inbox"),
    path("opinions/<uuid:pk>/reply/", board.opinion_reply, name="opinion_reply"),
]
