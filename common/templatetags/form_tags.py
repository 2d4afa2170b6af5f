"""``{% form_fields form %}``: what ``{% include "includes/form.html" with form=form %}`` renders
(the same HTML, tests/common/test_form_renderer.py), written out in Python: the include costs
a template lookup per field and per attribute, which made the forms most of the office's
organisation and award pages (issue 12)."""

from django import template
from django.utils.safestring import mark_safe

from common.form_renderer import out

register = template.Library()


@register.simple_tag
def form_fields(form) -> str:
    html = []
    errors = form.non_field_errors()
    if errors:
        shown = "".join(f"<p>{out(e)}</p>" for e in errors)
        html.append(f'\n  <div class="errorbox" role="alert">{shown}</div>\n')
    html.append("\n")
    html.extend(out(field) for field in form.hidden_fields())
    html.append("\n")
    for field in form.visible_fields():
        field_errors = field.errors
        css = (" has-error" if field_errors else "") + (" required" if field.field.required else "")
        help_text = field.help_text
        shown_help = f'<small class="help">{help_text}</small>' if help_text else ""
        shown_errors = "".join(f'<p class="error" role="alert">{out(e)}</p>' for e in field_errors)
        html.append(
            f'\n  <div class="field{css}">\n'
            f'    <label for="{out(field.id_for_label)}">{out(field.label)}</label>\n'
            f"    {out(field)}\n"
            f"    {shown_help}\n"
            f"    {shown_errors}\n"
            "  </div>\n"
        )
    html.append("\n")
    return mark_safe("".join(html))  # noqa: S308 (every value escaped as the template escapes it)
