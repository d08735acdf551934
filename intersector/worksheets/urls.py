from django.urls import path

from . import views

app_name = "worksheets"

# Mounted under c/<slug:slug>/ in intersector/urls.py. Question keys contain dots.
urlpatterns = [
    path("", views.overview, name="overview"),
    path("worksheets/stage/", views.stage_move, name="stage-move"),
    path("requests/new/", views.input_request_new, name="input-request-new"),
    path("worksheets/mentions.json", views.mention_names, name="mention-names"),
    path(
        "worksheets/<str:question_key>/perspective/",
        views.perspective_save,
        name="perspective-save",
    ),
    path("worksheets/<str:question_key>/agreed/", views.consensus_save, name="consensus-save"),
    path("worksheets/<str:question_key>/comments/", views.comment_add, name="comment-add"),
    path(
        "worksheets/<str:question_key>/perspectives/",
        views.question_perspectives,
        name="question-perspectives",
    ),
    path("worksheets/<str:question_key>/history/", views.question_history, name="question-history"),
    path("worksheets/<str:question_key>/proposals/", views.proposal_open, name="proposal-open"),
    path("proposals/<int:pk>/", views.proposal_page, name="proposal"),
    path("proposals/<int:pk>/respond/", views.proposal_respond, name="proposal-respond"),
    path("proposals/<int:pk>/close/", views.proposal_close, name="proposal-close"),
    # Reveal or hide the organisations' names in the presenter view's tally.
    path("proposals/<int:pk>/names/", views.proposal_names, name="proposal-names"),
    path("worksheets/<str:question_key>/present/", views.question_present, name="question-present"),
    # The short join link the presenter view shows.
    path("q/<str:question_key>/", views.question_join, name="question-join"),
]
