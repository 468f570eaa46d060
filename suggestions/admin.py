from django.contrib import admin

from suggestions.models import Category, DeadlineRule, HandlingUnit


@admin.register(HandlingUnit)
class HandlingUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "division", "contact_phone", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    list_select_related = ["division"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "is_active"]


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ["key", "amount", "unit", "updated_at"]
