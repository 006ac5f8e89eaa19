from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrailConfig(AppConfig):
    name = "zhigong.trail"
    label = "trail"
    verbose_name = _("留痕")
