from django.contrib import admin

from .models import EmailDelivery


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    """Failed and waiting e-mails, for the operator: the mail server's answer on each."""

    list_display = ["key", "recipient", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["key", "recipient__email"]
    readonly_fields = [f.name for f in EmailDelivery._meta.fields]
