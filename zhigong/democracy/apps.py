from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemocracyConfig(AppConfig):
    name = "zhigong.democracy"
    label = "democracy"
    verbose_name = _("职工代表大会")
