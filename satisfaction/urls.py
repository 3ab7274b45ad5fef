from django.urls import path

from . import views

app_name = "satisfaction"

urlpatterns = views.PAGES.urls(lists=(  # the shared case pages (workflow.pages), a survey's named `survey`
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/<int:pk>/", views.campaign, name="campaign"),
))
