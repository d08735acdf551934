from django.contrib import admin

from .models import AuditEvent, Collaboration, Membership, Partner


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0
    fields = ["name", "sector", "influence", "proximity", "engagement"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "role", "partner"]


@admin.register(Collaboration)
class CollaborationAdmin(admin.ModelAdmin):
    list_display = ["title", "current_stage", "origin", "updated_at"]
    list_filter = ["current_stage", "origin"]
    search_fields = ["title", "problem_statement"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PartnerInline, MembershipInline]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "collaboration", "sector", "influence", "proximity", "engagement"]
    list_filter = ["sector", "engagement"]
    search_fields = ["name"]
    list_select_related = ["collaboration"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "collaboration", "role", "partner"]
    list_filter = ["role"]
    search_fields = ["user__email", "collaboration__title"]
    raw_id_fields = ["user"]
    list_select_related = ["user", "collaboration", "partner"]


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
