"""The honours section of an organisation's page (organisations/detail.html), drawn by the
honours app so the organisations app need not import it."""

from django import template

from ..views import honours_context

register = template.Library()


@register.inclusion_tag("honours/_section.html", takes_context=True)
def organisation_honours(context, org):
    return honours_context(context["request"].user, org)
