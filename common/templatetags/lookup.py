from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ marks|get_item:item.code }}``: a dictionary's value in a template."""
    return mapping.get(key, []) if hasattr(mapping, "get") else []
