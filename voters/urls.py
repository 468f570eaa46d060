"""Pages of the voters app: voters and households, reception days and visits, the 1+M+N grid."""

from django.urls import path  # noqa: F401

app_name = "voters"

urlpatterns: list = []
