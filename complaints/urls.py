from django.urls import path

from proposals.views import PAGES as PROPOSAL_PAGES
from workflow.pages import search

from . import views

app_name = "complaints"

# The shared case pages (workflow.pages), with the complaint's own lists and its details' correction.
urlpatterns = views.PAGES.urls(
    lists=(
        path("approvals/", views.approvals, name="approvals"),
        path("overdue/", views.overdue, name="overdue"),
        # The header's search: complaints and proposals (complaints may read proposals; the
        # kernel, workflow, knows no case kind).
        path("search/", search, {"kinds": (views.PAGES, PROPOSAL_PAGES)}, name="search"),
    ),
    case_pages=(path("<str:number>/edit/", views.edit_details, name="edit"),),
)
