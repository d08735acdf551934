from django.urls import path

from . import views

app_name = "collaborations"

urlpatterns = [
    path("collaborations/new/", views.collaboration_create, name="create"),
    path("c/<slug:slug>/partners/", views.partners, name="partners"),
    path("c/<slug:slug>/partners/<int:pk>/", views.partner_row, name="partner-row"),
    path("c/<slug:slug>/partners/<int:pk>/edit/", views.partner_edit, name="partner-edit"),
    path("c/<slug:slug>/partners/<int:pk>/remove/", views.partner_delete, name="partner-delete"),
    path("c/<slug:slug>/members/<int:pk>/role/", views.member_change, name="member-change"),
    path("c/<slug:slug>/members/<int:pk>/remove/", views.member_remove, name="member-remove"),
]
