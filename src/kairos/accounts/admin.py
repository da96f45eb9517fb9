from django.contrib import admin

from kairos.accounts.models import ApiKey, Membership, Organization, SiteKey


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "time_zone", "default_language", "created_at"]
    readonly_fields = ["config_version"]  # moved by every save (accounts/config_version.py)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["role"]


@admin.register(SiteKey)
class SiteKeyAdmin(admin.ModelAdmin):
    list_display = ["key", "organization", "label", "active"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "organization", "role", "last_used_at", "revoked_at"]
    readonly_fields = ["hashed_key", "prefix"]
