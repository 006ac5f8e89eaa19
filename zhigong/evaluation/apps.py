from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "zhigong.evaluation"
    label = "evaluation"
    verbose_name = _("三位一体评价")
