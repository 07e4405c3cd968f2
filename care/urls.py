from django.urls import path

from care.views import archive, assistance, campaigns, insurance, overview, people, rights

app_name = "care"

urlpatterns = [
    path("", overview.index, name="index"),
    path("log/", overview.access_log, name="access_log"),
    path("rollup/", overview.rollup, name="rollup"),
    # the hardship archive
    path("households/", archive.household_list, name="households"),
    path("households/new/", archive.household_add, name="household_add"),
    path("households/import/", archive.household_import, name="household_import"),
    path("households/<int:pk>/", archive.household_detail, name="household_detail"),
    path("households/<int:pk>/reveal/", archive.household_reveal, name="household_reveal"),
    path("households/<int:pk>/edit/", archive.household_edit, name="household_edit"),
    path("households/<int:pk>/delete/", archive.household_delete, name="household_delete"),
    path("households/<int:pk>/family/", archive.family_add, name="family_add"),
    path("family/<int:pk>/edit/", archive.family_edit, name="family_edit"),
    path("family/<int:pk>/remove/", archive.family_remove, name="family_remove"),
    path("households/<int:pk>/attachments/", archive.attachment_add, name="attachment_add"),
    path("households/<int:pk>/<str:step>/", archive.household_event, name="household_event"),
    path("attachments/<int:pk>/", archive.attachment, name="attachment"),
    # assistance
    path("assistance/", assistance.assistance_list, name="assistance"),
    path("assistance/new/", assistance.assistance_add, name="assistance_add"),
    path("assistance/<int:pk>/", assistance.assistance_detail, name="assistance_detail"),
    path("assistance/<int:pk>/reject/", assistance.assistance_reject, name="assistance_reject"),
    path("assistance/<int:pk>/approve/", assistance.assistance_approve, name="assistance_approve"),
    path("assistance/<int:pk>/receipt/", assistance.receipt, name="receipt"),
    path("settings/", assistance.caps, name="caps"),
    path("settings/caps/<int:pk>/delete/", assistance.cap_delete, name="cap_delete"),
    # campaigns
    path("campaigns/", campaigns.campaign_list, name="campaigns"),
    path("campaigns/new/", campaigns.campaign_add, name="campaign_add"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/split/", campaigns.campaign_split, name="campaign_split"),
    path("campaigns/<int:pk>/rebuild/", campaigns.campaign_rebuild, name="campaign_rebuild"),
    path("campaigns/<int:pk>/close/", campaigns.campaign_close, name="campaign_close"),
    path("campaigns/<int:pk>/export/", campaigns.campaign_export, name="campaign_export"),
    path("campaigns/<int:pk>/signoff/", campaigns.campaign_signoff, name="campaign_signoff"),
    path("entries/<int:pk>/", campaigns.entry_record, name="entry_record"),
    # visits, tags, pairing
    path("visits/", people.visit_list, name="visits"),
    path("visits/new/", people.visit_add, name="visit_add"),
    path("visits/<int:pk>/", people.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", people.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/delete/", people.visit_delete, name="visit_delete"),
    path("tags/", people.tag_list, name="tags"),
    path("tags/<int:pk>/remove/", people.tag_remove, name="tag_remove"),
    path("pairings/", people.pairing_list, name="pairings"),
    path("pairings/new/", people.pairing_add, name="pairing_add"),
    path("pairings/<int:pk>/", people.pairing_detail, name="pairing_detail"),
    path("pairings/<int:pk>/end/", people.pairing_end, name="pairing_end"),
    # insurance and women staff
    path("insurance/", insurance.product_list, name="insurance"),
    path("insurance/new/", insurance.product_add, name="product_add"),
    path("insurance/<int:pk>/", insurance.product_detail, name="product_detail"),
    path("insurance/<int:pk>/edit/", insurance.product_edit, name="product_edit"),
    path("insurance/<int:pk>/enroll/", insurance.product_enroll, name="product_enroll"),
    path("insurance/<int:pk>/export/", insurance.product_export, name="product_export"),
    path("enrollments/<int:pk>/claim/", insurance.claim_add, name="claim_add"),
    path("claims/<int:pk>/paid/", insurance.claim_paid, name="claim_paid"),
    path("women/", insurance.women, name="women"),
    path("women/protection/", insurance.protection_add, name="protection_add"),
    # rights and legal aid
    path("cases/", rights.case_list, name="cases"),
    path("cases/new/", rights.case_add, name="case_add"),
    path("cases/<int:pk>/", rights.case_detail, name="case_detail"),
    path("cases/<int:pk>/<str:action>/", rights.case_action, name="case_action"),
    path("help/<str:code>/", rights.public_help, name="public_help"),
    path("help/<str:code>/thanks/", rights.public_thanks, name="public_thanks"),
]
