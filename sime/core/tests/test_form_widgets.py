from django import forms

from sime.core.templatetags.sime_forms import bootstrap
from sime.institutions.models import Institution


class _Form(forms.Form):
    sector = forms.ChoiceField(choices=[("", "---------"), ("a", "A")], required=False)
    institution = forms.ModelChoiceField(queryset=Institution.objects.none(), required=False)


def test_selects_offer_a_spanish_empty_choice_instead_of_dashes() -> None:
    form = _Form()
    html = bootstrap(form["sector"]) + bootstrap(form["institution"])
    assert "---------" not in html
    assert html.count('<option value="" selected>Seleccione…</option>') == 2
