from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from representatives.models import (
    GroupMembership,
    MobileRegisterEntry,
    Representative,
    RepresentativeGroup,
    Specialty,
)


@admin.register(Specialty)
class SpecialtyAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Representative)
class RepresentativeAdmin(SimpleHistoryAdmin):
    """Read-only: the roster is kept in the console, where the rules and the register sync run."""

    list_display = ["name", "level", "term", "home_station", "is_mobile", "status"]
    list_filter = ["level", "status", "is_mobile"]
    search_fields = ["name", "name_initials", "phone"]
    list_select_related = ["home_station"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    raw_id_fields = ["representative"]


@admin.register(RepresentativeGroup)
class RepresentativeGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "station"]
    list_filter = ["kind"]
    search_fields = ["name"]
    list_select_related = ["station"]
    inlines = [GroupMembershipInline]


@admin.register(MobileRegisterEntry)
class MobileRegisterEntryAdmin(SimpleHistoryAdmin):
    list_display = ["representative", "origin_station", "host_station", "is_active"]
    list_select_related = ["representative", "origin_station", "host_station"]
    search_fields = ["representative__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
