from django.urls import path

from . import views

app_name = "contacts"

urlpatterns = [
    path("actualites/confirmer/<str:token>/", views.confirm_news, name="confirm_news"),
    path("actualites/nouveau-lien/<str:token>/", views.ask_news_again, name="ask_news_again"),
    path("desinscription/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("effacement/<str:token>/", views.confirm_erasure, name="confirm_erasure"),
    path("mes-donnees/<str:token>/", views.preferences, name="preferences"),
    path("mes-donnees/<str:token>/retrait/", views.withdraw, name="withdraw"),
    path("mes-donnees/<str:token>/effacement/", views.ask_erasure, name="ask_erasure"),
    path(
        "mes-donnees/<str:token>/mes-donnees.json",
        views.download_data,
        {"export_format": "json"},
        name="download_json",
    ),
    path(
        "mes-donnees/<str:token>/mes-donnees.csv",
        views.download_data,
        {"export_format": "csv"},
        name="download_csv",
    ),
]
