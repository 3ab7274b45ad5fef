from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.intake, name="intake"),
    path("approvals/", views.approvals, name="approvals"),
    path("overdue/", views.overdue, name="overdue"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/edit/", views.edit_details, name="edit"),
    path("<str:number>/comment/", views.comment, name="comment"),
    path("<str:number>/attachments/", views.upload, name="upload"),
    path("<str:number>/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<str:number>/<slug:action>/", views.act, name="act"),
]
