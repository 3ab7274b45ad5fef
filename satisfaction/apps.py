from django.apps import AppConfig


class SatisfactionConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'satisfaction'
