from django.urls import path

from . import checkin, views

app_name = "events"

urlpatterns = [
    path("annuler/<str:token>/", views.cancel_registration, name="cancel_registration"),
    path("transfert/<str:token>/", views.confirm_transfer, name="confirm_transfer"),
    path(
        "place/<str:token>/<str:action>/",
        views.answer_offer,
        name="answer_offer",
    ),
    path("code/<str:code>/qr.png", checkin.registration_qr, name="registration_qr"),
    path("attestation/<str:token>/", checkin.attendance_certificate, name="attendance_certificate"),
]
