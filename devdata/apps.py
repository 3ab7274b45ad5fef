from django.apps import AppConfig


class DevdataConfig(AppConfig):
    """Development and scale-test data: `seed_demo` (the demo users and a few cases, made through the
    services) and `generate_cases` (bulk synthetic complaints and proposals). It sits above every case
    app and nothing imports it, so the kernel (casework) needs to know nothing about it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "devdata"
