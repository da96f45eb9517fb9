from django.urls import path

from kairos.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("types/", views.campaign_types, name="types"),
    path("new/", views.campaign_create, name="create"),
    path("why/", views.why, name="why"),
    path("<int:pk>/", views.campaign_edit, name="edit"),
    path("<int:pk>/duplicate/", views.campaign_duplicate, name="duplicate"),
    path("<int:pk>/archive/", views.campaign_archive, name="archive"),
    path("<int:pk>/coupons/", views.campaign_coupons, name="coupons"),
]
