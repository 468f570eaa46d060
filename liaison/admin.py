from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from liaison.models import Division, Notification, RoleGrant, Station, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0
    autocomplete_fields = ["division", "station", "handling_unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Liaison"), {"fields": ("full_name", "phone")}),
    )
    list_display = ["username", "full_name", "is_active", "is_superuser", "last_login"]
    search_fields = ["username", "full_name", "phone"]
    inlines = [RoleGrantInline]


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "code"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    readonly_fields = ["path", "depth"]

    def has_change_permission(self, request, obj=None):
        # The tree path is kept by services; divisions are created by the demo or a data load.
        return False


@admin.register(Station)
class StationAdmin(SimpleHistoryAdmin):
    """Read-only here: stations are created and changed in the console, where the rules run."""

    list_display = ["name", "kind", "division", "parent", "is_active"]
    list_filter = ["kind", "is_active", "in_county_town"]
    search_fields = ["name", "slug"]
    list_select_related = ["division", "parent"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "division", "station", "handling_unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name"]
    autocomplete_fields = ["user", "division", "station", "handling_unit"]
    list_select_related = ["user", "division", "station", "handling_unit"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__username"]
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in Notification._meta.fields]
