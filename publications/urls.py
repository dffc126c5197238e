from django.urls import path

from . import views

app_name = "publications"

urlpatterns = [
    path("<str:token>/", views.download, name="download"),
    path("<str:token>/nouveau-lien/", views.resend_link, name="resend_link"),
]
