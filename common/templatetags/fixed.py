"""``{% fixed %}…{% endfixed %}``: a part of a template that is the same on every page and for
every person (translated text, URLs, static files), rendered once per language and served again
after (issue 12: base.html's header and footer asked gettext and the URL resolver some forty
times on every page).

``{% fixed by menu %}…{% endfixed %}``: the same, once per language and value of ``menu`` (a
hashable value that says everything the part shows, such as the header's menu of a set of roles).

The part is rendered in a context holding only ``LANGUAGE_CODE`` and the ``by`` variable, so it
cannot show anything else of the request or the person: any other variable renders empty, on the
first page as on every other. A ``{% block %}`` may not sit inside (a child's block would be
kept for every other child).
"""

from __future__ import annotations

from django import template
from django.core.signals import setting_changed
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix
from django.utils.translation import get_language

register = template.Library()

# Bumped when a setting changes (tests override URLs, static files, languages): every part is
# rendered again after it.
_generation = [0]


def _settings_changed(**kwargs) -> None:
    _generation[0] += 1


setting_changed.connect(_settings_changed, dispatch_uid="common.templatetags.fixed")


class FixedNode(template.Node):
    def __init__(self, nodelist: template.NodeList, by_name: str | None, by=None):
        self.nodelist = nodelist
        self.by_name, self.by = by_name, by
        # Held by the node, so it goes with its template (a reloaded template starts empty).
        self.rendered: dict[tuple, str] = {}

    def render(self, context) -> str:
        language = get_language()
        values = {"LANGUAGE_CODE": language}
        value = None
        if self.by is not None:
            value = values[self.by_name] = self.by.resolve(context)
        key = (language, get_script_prefix(), _generation[0], value)
        try:
            return self.rendered[key]
        except KeyError:
            pass
        with context.render_context.push():
            html = self.nodelist.render(context.new(values))
        self.rendered[key] = html
        return html


@register.tag
def fixed(parser, token):
    bits = token.split_contents()
    if len(bits) not in (1, 3) or (len(bits) == 3 and bits[1] != "by"):
        raise template.TemplateSyntaxError("{% fixed %} or {% fixed by variable %}")
    if len(bits) == 3 and not bits[2].isidentifier():
        raise template.TemplateSyntaxError("{% fixed by %} takes a variable's name")
    nodelist = parser.parse(("endfixed",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("{% block %} cannot sit inside {% fixed %}")
    if len(bits) == 1:
        return FixedNode(nodelist, None)
    return FixedNode(nodelist, bits[2], parser.compile_filter(bits[2]))
