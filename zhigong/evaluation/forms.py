"""Forms of the evaluation pages: they parse input only; ranges, permissions and the one-answer
rule are the actions' business (their DomainError.field names the field that gets the message)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhigong.evaluation import display


class ScoreForm(forms.Form):
    """A score 0–100 with one decimal. The field takes any number so that the action, not the
    form, says what is wrong with 120 (one message, the same in the API)."""

    value = forms.FloatField(label=_("得分（0–100）"),
                             widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}))
    note = forms.CharField(label=_("评分理由"), widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("企业会看到评分理由，请写明依据。"))


class SurveyForm(forms.Form):
    """One radio row per question of the survey, 1..scale."""

    def __init__(self, *args, survey, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(n, f"{n} {display.SCALE.get(n, '')}".strip()) for n in range(1, survey.scale + 1)]
        for q in survey.questions:
            self.fields[q["code"]] = forms.TypedChoiceField(
                label=display.question(q["code"], q["text"]), choices=choices, coerce=int,
                widget=forms.RadioSelect(attrs={"class": "scale"}))

    def ratings(self) -> dict[str, int]:
        return dict(self.cleaned_data)


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
