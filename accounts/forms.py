from datetime import timedelta

from django import forms

LIFETIMES = {"30": timedelta(days=30), "90": timedelta(days=90), "365": timedelta(days=365), "never": None}


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        help_text="What the token is for, e.g. “backup script”.",
        error_messages={"required": "Give the token a name."},
    )
    lifetime = forms.ChoiceField(
        label="Expires",
        choices=[("30", "in 30 days"), ("90", "in 90 days"), ("365", "in a year"), ("never", "never")],
        initial="90",
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name or "\x00" in name:
            raise forms.ValidationError("Give the token a name.")
        return name

    @property
    def expires_in(self) -> timedelta | None:
        return LIFETIMES[self.cleaned_data["lifetime"]]
