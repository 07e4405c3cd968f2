from django.urls import path

from activities.views import activities, contests, registrations, sports, stats, summaries

app_name = "activities"

urlpatterns = [
    path("", activities.activity_list, name="list"),
    path("new/", activities.create, name="create"),
    path("mine/", activities.my_registrations, name="mine"),
    path("statistics/", stats.statistics, name="statistics"),
    path("<int:pk>/", activities.detail, name="detail"),
    path("<int:pk>/edit/", activities.edit, name="edit"),
    path("<int:pk>/status/", activities.set_status, name="set_status"),
    path("<int:pk>/register/", activities.register, name="register"),
    path("<int:pk>/cancel/", activities.cancel_mine, name="cancel_mine"),
    path("<int:pk>/held/", activities.held, name="held"),
    path("<int:pk>/my-code/", registrations.my_qr, name="my_qr"),
    path("<int:pk>/poster/", registrations.poster, name="poster"),
    path("<int:pk>/poster.svg", registrations.poster_qr, name="poster_qr"),
    # officers: registrations and check-in
    path("<int:pk>/registrations/", registrations.registrations, name="registrations"),
    path("<int:pk>/registrations/search/", registrations.member_search, name="member_search"),
    path("<int:pk>/registrations/add/", registrations.register_member, name="register_member"),
    path("<int:pk>/registrations/export/", registrations.export, name="export"),
    path("registrations/<int:pk>/cancel/", registrations.cancel_registration, name="cancel_registration"),
    path("registrations/<int:pk>/tick/", registrations.tick, name="tick"),
    path("code/<str:token>.svg", registrations.qr, name="qr"),
    path("code/<str:token>/", registrations.checkin_code, name="checkin_code"),
    path("<int:pk>/checkin/", registrations.checkin, name="checkin"),
    path("<int:pk>/checkin/count/", registrations.attendance_count, name="attendance_count"),
    path("<int:pk>/checkin/walk-in/", registrations.walk_in, name="walk_in"),
    # summaries
    path("<int:pk>/summary/", summaries.summary, name="summary"),
    path("<int:pk>/summary/review/", summaries.review, name="review"),
    path("summaries/", summaries.received, name="received"),
    path("photos/<int:pk>/", summaries.photo, name="photo"),
    path("photos/<int:pk>/delete/", summaries.photo_delete, name="photo_delete"),
    # sports
    path("<int:pk>/sports/", sports.overview, name="sports"),
    path("<int:pk>/sports/new/", sports.event_create, name="event_create"),
    path("<int:pk>/sports/print/", sports.printable, name="sports_print"),
    path("events/<int:pk>/", sports.event, name="event"),
    path("events/<int:pk>/search/", sports.entry_search, name="entry_search"),
    path("events/<int:pk>/entries/", sports.entry_add, name="entry_add"),
    path("events/<int:pk>/draw/", sports.draw, name="draw"),
    path("events/<int:pk>/results/", sports.results, name="results"),
    path("entries/<int:pk>/remove/", sports.entry_remove, name="entry_remove"),
    path("matches/<int:pk>/", sports.match_result, name="match_result"),
    # competitions at work
    path("competitions/", contests.competition_list, name="competitions"),
    path("competitions/new/", contests.competition_create, name="competition_create"),
    path("competitions/<int:pk>/", contests.competition, name="competition"),
    path("competitions/<int:pk>/items/", contests.item_add, name="item_add"),
    path("competitions/items/<int:pk>/remove/", contests.item_remove, name="item_remove"),
    path("competitions/<int:pk>/contestants/search/", contests.contestant_search, name="contestant_search"),
    path("competitions/<int:pk>/contestants/", contests.contestant_add, name="contestant_add"),
    path("competitions/<int:pk>/judges/", contests.judge_add, name="judge_add"),
    path("competitions/<int:pk>/judges/<int:user_pk>/remove/", contests.judge_remove, name="judge_remove"),
    path("competitions/contestants/<int:pk>/remove/", contests.contestant_remove, name="contestant_remove"),
    path("competitions/<int:pk>/winners/", contests.winners, name="winners"),
    path("rounds/<int:pk>/score/", contests.score_sheet, name="score_sheet"),
]
