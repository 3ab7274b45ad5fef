from . import views

app_name = "proposals"

urlpatterns = views.PAGES.urls()  # the shared case pages (workflow.pages)
