from django.contrib import admin

from .models import Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "collaboration", "role", "sent_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email", "collaboration__title"]
    readonly_fields = ["key", "sent_at", "accepted_at", "accepted_by", "revoked_at", "invited_by"]
