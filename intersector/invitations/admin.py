from django.contrib import admin

from .models import AuditEvent, Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "collaboration", "role", "sent_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email", "collaboration__title"]
    readonly_fields = ["key", "sent_at", "accepted_at", "accepted_by", "revoked_at", "invited_by"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The log is evidence: readable here, never edited."""

    list_display = ["created_at", "collaboration", "actor_name", "action", "subject_email"]
    list_filter = ["action"]
    search_fields = ["subject_email", "actor_name", "collaboration__title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
