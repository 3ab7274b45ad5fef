"""The customer's pages: reached through a survey's one-time link, without logging in.

Kept apart from the staff's `/satisfaction/` URLs so that nothing here can be mistaken for a page
behind the login, and nothing behind the login is ever reachable from here."""

from django.urls import path

from . import public_views

app_name = "survey_link"

urlpatterns = [
    # Before the token pattern: "thanks" is never a token, but the order keeps that obvious.
    path("thanks/", public_views.survey_link_thanks, name="thanks"),
    path("<str:token>/", public_views.survey_link_page, name="answer"),
]
