from django.urls import path

app_name = "questionset"
urlpatterns: list = []
