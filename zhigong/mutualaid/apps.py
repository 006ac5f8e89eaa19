from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MutualaidConfig(AppConfig):
    name = "zhigong.mutualaid"
    label = "mutualaid"
    verbose_name = _("职工互助互济")
