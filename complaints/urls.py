from django.urls import path

from . import views

app_name = "complaints"

# The shared case pages (workflow.pages), with the complaint's own lists and its details' correction.
urlpatterns = views.PAGES.urls(
    lists=(
        path("approvals/", views.approvals, name="approvals"),
        path("overdue/", views.overdue, name="overdue"),
    ),
    case_pages=(path("<str:number>/edit/", views.edit_details, name="edit"),),
)
