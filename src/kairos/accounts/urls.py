from django.urls import path

from kairos.accounts import views

app_name = "settings"
urlpatterns = [
    path("", views.organization_settings, name="organization"),
    path("keys/", views.keys, name="keys"),
    path("keys/site/<int:key_id>/", views.edit_site_key, name="site_key"),
    path("keys/api/<int:key_id>/revoke/", views.revoke_api_key, name="revoke_api_key"),
    path("users/", views.users, name="users"),
    path("users/<int:membership_id>/", views.edit_member, name="member"),
    path("switch/<int:organization_id>/", views.switch_organization, name="switch"),
]
