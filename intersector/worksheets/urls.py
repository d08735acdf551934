from django.urls import path

from . import views

app_name = "worksheets"

# Mounted under c/<slug:slug>/ in intersector/urls.py. Question keys contain dots.
urlpatterns = [
    path("", views.overview, name="overview"),
    path("worksheets/stage/", views.stage_move, name="stage-move"),
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
    path("worksheets/<str:question_key>/present/", views.question_present, name="question-present"),
    # The short join link the presenter view shows.
    path("q/<str:question_key>/", views.question_join, name="question-join"),
]
