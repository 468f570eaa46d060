from django.contrib import admin

from suggestions.models import HandlingUnit


@admin.register(HandlingUnit)
class HandlingUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "division", "contact_phone", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    list_select_related = ["division"]
