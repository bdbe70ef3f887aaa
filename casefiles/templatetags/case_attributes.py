"""Showing a case file's attributes with the labels its inspection's plan gives them."""

from django import template

from casefiles.attributes import Attribute, summary

register = template.Library()


@register.filter
def attribute(case_file, attribute: Attribute) -> str:
    """{{ file|attribute:a }}: the file's value of attribute a, as its details show it."""
    return attribute.display((case_file.attributes or {}).get(attribute.code, ""))


@register.filter
def case_summary(case_file, attributes: list[Attribute]) -> str:
    """{{ file|case_summary:attributes }}: each choice's label, then the yes/no attributes that are yes."""
    return summary(attributes, case_file.attributes or {})


@register.filter
def yes_no_attributes(attributes: list[Attribute]) -> list[Attribute]:
    return [a for a in attributes if a.type == "yes_no"]
