from django.apps import AppConfig


class QuestionsetConfig(AppConfig):
    name = "questionset"
    verbose_name = "Question sets"
