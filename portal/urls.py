"""The customer's portal at /portal/: no login (see docs/architecture.md, "The customer's portal")."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.portal_start, name="start"),
    path("complaint/", views.portal_submit, {"kind": "complaint"}, name="complaint"),
    path("proposal/", views.portal_submit, {"kind": "proposal"}, name="proposal"),
    path("track/", views.portal_track, name="track"),
    path("thanks/<str:token>/", views.portal_thanks, name="thanks"),
]
