from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "zhigong.web"
    label = "web"
