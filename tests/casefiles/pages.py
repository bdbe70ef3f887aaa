import re

QUESTION_TAG = re.compile(r'<div class="app-question[^"]*" id="q-(?P<code>[^"]+)"(?P<rest>[^>]*)>', re.S)


def shown_questions(html: str) -> list[str]:
    """Codes of the question blocks a user sees (not hidden because they do not apply)."""
    return [m["code"] for m in QUESTION_TAG.finditer(html) if not re.search(r"\shidden(\s|$)", m["rest"])]
