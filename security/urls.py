from django.urls import path

from . import views

app_name = "security"
urlpatterns = [
    path("session/keep-alive/", views.keep_alive, name="keep_alive"),
    path("accounts/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/", views.two_factor_verify, name="two_factor_verify"),
]
