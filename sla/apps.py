from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sla"
    verbose_name = _("SLA")

    def ready(self):
        from casework.case_kinds import register_deadline_reader
        from casework.timeline import register_action_labels

        from .calendar_changes import CALENDAR_NOTE_ACTION
        from .models import CalendarDay
        from .selectors import attach_next_deadlines, calendar_warning_forget

        # The shared pages (a customer's cases) show next deadlines; casework does not import sla.
        register_deadline_reader(attach_next_deadlines)
        # A deadline a changed calendar moved, on any case's timeline.
        register_action_labels(None, {CALENDAR_NOTE_ACTION: _("Deadline moved")})

        def forget(**kwargs):
            calendar_warning_forget()

        # weak=False: `forget` is local to this method and would otherwise be collected at once.
        post_save.connect(forget, sender=CalendarDay, weak=False, dispatch_uid="sla-calendar-saved")
        post_delete.connect(forget, sender=CalendarDay, weak=False, dispatch_uid="sla-calendar-deleted")
