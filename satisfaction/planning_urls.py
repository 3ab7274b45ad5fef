"""The planning pages, included under /satisfaction/planning/ (namespace survey_planning)."""

from django.urls import path

from . import planning_views as views

app_name = "survey_planning"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("plan/", views.campaign_plan, name="plan"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/drop/", views.campaign_drop, name="drop"),
    path("<int:pk>/approve/", views.campaign_approve, name="approve"),
    path("templates/<int:pk>/revise/", views.template_revise, name="template_revise"),
]
