from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.intake, name="intake"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/comment/", views.comment, name="comment"),
    path("<str:number>/attachments/", views.upload, name="upload"),
    path("<str:number>/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<str:number>/<slug:action>/", views.act, name="act"),
]
