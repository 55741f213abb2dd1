from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "rokhas.activities"
    label = "activities"
    verbose_name = "Economic activities"

    def ready(self):
        # Procedure forms may offer "the activities of a regime" as a choice list.
        from rokhas.catalogue.declared_data import register_choices

        from .selectors import activity_choices

        register_choices("activities", activity_choices)
