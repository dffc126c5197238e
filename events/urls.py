from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("annuler/<str:token>/", views.cancel_registration, name="cancel_registration"),
    path(
        "place/<str:token>/<str:action>/",
        views.answer_offer,
        name="answer_offer",
    ),
]
