"""Wording helpers for the report templates."""

from django import template

register = template.Library()


@register.filter
def in_sentence(label: str) -> str:
    """A heading-case label as it reads mid-sentence: "Court" → "court", but "CPS Area" stays
    (a word in capitals, an acronym, keeps its case, and so does the rest of the label)."""
    if not label:
        return label
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first[:2].isupper():
        return label
    return label[0].lower() + label[1:]


@register.filter
def letter(index: int) -> str:
    """1 → "b", 2 → "c": the suffix of a question's second, third… table (A1, A1b, A1c)."""
    return "bcdefghijklmnopqrstuvwxyz"[int(index) - 1]
