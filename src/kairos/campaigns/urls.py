from django.urls import path

from kairos.campaigns.views import (
    basic_information,
    budget,
    create,
    my_campaigns,
    performance,
    why,
)

app_name = "campaigns"
urlpatterns = [
    path("", my_campaigns.campaign_list, name="list"),
    path("types/", create.campaign_types, name="types"),
    path("new/", create.campaign_create, name="create"),
    path("new/check/", create.create_check, name="create_check"),
    path("budget/", budget.contact_budget, name="budget"),
    path("why/", why.why, name="why"),
    path("compare/", performance.campaign_comparison, name="compare"),
    path("compare.csv", performance.campaign_comparison_csv, name="compare_csv"),
    path("<int:pk>/performance/", performance.campaign_performance, name="performance"),
    path("<int:pk>/performance.csv", performance.campaign_performance_csv,
         name="performance_csv"),
    path("<int:pk>/", basic_information.campaign_edit, name="edit"),
    path("<int:pk>/duplicate/", my_campaigns.campaign_duplicate, name="duplicate"),
    path("<int:pk>/archive/", my_campaigns.campaign_archive, name="archive"),
    path("<int:pk>/coupons/", basic_information.campaign_coupons, name="coupons"),
]
