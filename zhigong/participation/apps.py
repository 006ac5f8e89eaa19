from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "zhigong.participation"
    label = "participation"
    verbose_name = _("职工参与")
