from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("monthly/", views.monthly, name="monthly"),
    path("monthly/export/", views.monthly_export, name="monthly_export"),
    path("monthly/recalculate/", views.monthly_recalculate, name="monthly_recalculate"),
    path("media-exposures/", views.media_exposures, name="media_exposures"),
    path("quarterly/", views.quarterly, name="quarterly"),
    path("annual/", views.annual, name="annual"),
    path("proposals/", views.proposals, name="proposals"),
    path("satisfaction/quarterly/", views.satisfaction_quarterly, name="satisfaction_quarterly"),
    path("satisfaction/quarterly/export/", views.satisfaction_quarterly_export, name="satisfaction_quarterly_export"),
    path("satisfaction/half-year/", views.satisfaction_half_year, name="satisfaction_half_year"),
    path("satisfaction/half-year/export/", views.satisfaction_half_year_export,
         name="satisfaction_half_year_export"),
]
