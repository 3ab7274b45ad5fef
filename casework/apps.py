from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def _create_cache_table(sender, using, **kwargs):
    # The shared cache lives in the database when there is no Redis: `migrate` alone makes its
    # table (createcachetable skips what exists and caches that are not in the database).
    call_command("createcachetable", database=using, verbosity=0)


class CaseworkConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'casework'

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from . import services  # noqa: F401 — declares the timeline texts casework writes
        from .timeline import register_action_labels

        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="closeloop-cache-table")
        # Any kind's intake may correct its customer's record (casework.services.caller_record).
        register_action_labels(None, {"correct_customer": _("Customer record corrected")})
