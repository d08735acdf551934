from django.urls import path

from . import views

app_name = "invitations"

urlpatterns = [
    path("c/<slug:slug>/members/", views.members, name="members"),
    path("c/<slug:slug>/members/invite/", views.invitation_create, name="create"),
    path(
        "c/<slug:slug>/members/invitations/<int:pk>/resend/",
        views.invitation_resend,
        name="resend",
    ),
    path(
        "c/<slug:slug>/members/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="revoke",
    ),
    path("c/<slug:slug>/members/log/", views.audit_log, name="audit-log"),
    path("invitations/<str:token>/", views.accept, name="accept"),
]
