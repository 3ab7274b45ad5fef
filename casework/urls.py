from django.urls import path

from . import import_views, views

app_name = "casework"

urlpatterns = [
    path("customers/", views.customer_list, name="customers"),
    path("customers/lookup/", views.customer_lookup, name="customer_lookup"),
    path("customers/<int:pk>/", views.customer_detail, name="customer"),
    path("units/", views.unit_list, name="units"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("imports/", import_views.import_page, name="import"),
    path("imports/confirm/", import_views.import_confirm, name="import_confirm"),
    path("imports/jobs/", import_views.import_jobs, name="import_jobs"),
    path("imports/jobs/<int:pk>/", import_views.import_job, name="import_job"),
    path("imports/jobs/<int:pk>/confirm/", import_views.import_job_confirm_view, name="import_job_confirm"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/", views.notification_open, name="notification"),
]
