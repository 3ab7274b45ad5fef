from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'reports'

    def ready(self):
        from django.db.models.signals import post_save

        from casework.models import ResponsibleUnit

        from .unit_terms import unit_terms_record

        post_save.connect(unit_terms_record, sender=ResponsibleUnit, dispatch_uid="reports.unit_terms_record")
