"""Template helpers of the congress pages: a round's result with names, grade labels."""

from django import template

from zhigong.democracy import display
from zhigong.democracy.forms import GRADE_LABELS

register = template.Library()


@register.simple_tag
def election_rows(result: dict, names: dict) -> list[display.CandidateRow]:
    return display.election_rows(result or {}, names or {})


@register.simple_tag
def rating_rows(result: dict, names: dict) -> list:
    return display.rating_rows(result or {}, names or {})


@register.simple_tag
def grade_labels() -> list[str]:
    return [str(label) for label in GRADE_LABELS.values()]
