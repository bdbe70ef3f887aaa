"""Hostile question-set files: deep nesting, billion laughs, huge files — each refused with a
short message, never a server error, never an expanded value pasted into the page."""

import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from questionset.loader import (
    ERRORS_KEPT,
    YAML_MAX_CHARS,
    QuestionSetInvalid,
    load_yaml_bounded,
    parse_question_set,
)
from questionset.models import QuestionSet
from tests.conftest import FIXTURES


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels + 1):
        aliases = ",".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{aliases}]")
    lines.append(f"code: *a{levels}")
    lines.append(f"title: *a{levels}")
    return "\n".join(lines) + "\n"


def deep(levels: int) -> str:
    return "code: " + "[" * levels + "]" * levels + "\n"


def upload(client, inspection, text: str):
    url = reverse("casefiles:question_set", args=[inspection.slug])
    return client.post(url, {"file": SimpleUploadedFile("set.yaml", text.encode())})


@pytest.mark.parametrize("levels", [500, 5_000])
def test_it_refuses_deep_nesting_without_a_recursion_error(levels):
    with pytest.raises(QuestionSetInvalid) as error:
        parse_question_set(deep(levels))
    assert "nest" in str(error.value)  # ours below 1,000 levels, libyaml's own beyond


def test_it_refuses_a_billion_laughs_quickly_in_little_memory():
    text = billion_laughs()
    assert len(text) < 600
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(QuestionSetInvalid) as error:
            parse_question_set(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 2
    assert peak < 20 * 1024 * 1024
    assert "expand to more than" in str(error.value)
    assert "lol" not in str(error.value)


def test_it_accepts_a_few_aliases_and_the_shipped_set():
    assert load_yaml_bounded("yn: &yn [yes, no]\nq1: *yn\nq2: *yn\n")["q2"] == [True, False]
    shipped = (FIXTURES.parent.parent / "questionset" / "data" / "stalking-2026.yaml").read_text()
    assert len(parse_question_set(shipped).questions) > 50


def test_it_refuses_a_file_over_the_size_limit():
    with pytest.raises(QuestionSetInvalid) as error:
        load_yaml_bounded("#" * (YAML_MAX_CHARS + 1))
    assert "longer than" in str(error.value)


def test_it_refuses_an_alias_that_contains_itself():
    with pytest.raises(QuestionSetInvalid):
        parse_question_set("code: &a [*a]\n")


def test_it_names_the_first_hundred_problems_and_counts_the_rest():
    questions = "\n".join(f"      - {{code: 'bad code {n}', text: x, type: text}}" for n in range(300))
    text = f"code: big\ntitle: Big\nversion: '1'\nsections:\n  - code: A\n    title: A\n    questions:\n{questions}\n"
    with pytest.raises(QuestionSetInvalid) as error:
        parse_question_set(text)
    assert len(error.value.errors) == ERRORS_KEPT + 1
    assert error.value.errors[-1].startswith("and ") and error.value.errors[-1].endswith(" more")


def test_every_problem_is_short_even_when_it_quotes_a_huge_value():
    text = f"code: big\ntitle: Big\nversion: '1'\nsections: [{{code: '{'x' * 50_000}', title: t, questions: []}}]\n"
    with pytest.raises(QuestionSetInvalid) as error:
        parse_question_set(text)
    assert all(len(problem) <= 300 for problem in error.value.errors)


def test_the_upload_page_answers_400_to_deep_nesting_and_billion_laughs(client, lead, inspection):
    client.force_login(lead)
    for text in (deep(600), billion_laughs()):
        response = upload(client, inspection, text)
        assert response.status_code == 400
        assert len(response.content) < 100_000
    assert QuestionSet.objects.count() == 1


def test_the_command_refuses_deep_nesting_with_one_line(tmp_path, db):
    path = tmp_path / "deep.yaml"
    path.write_text(deep(600))
    with pytest.raises(CommandError) as error:
        call_command("create_inspection", "deep", "--name", "Deep", "--questionset", str(path))
    assert "nests deeper than" in str(error.value) and "\n" not in str(error.value)


def test_it_refuses_a_nul_character_written_as_an_escape():
    with pytest.raises(QuestionSetInvalid) as error:
        parse_question_set('code: x\ntitle: "a\\0b"\n')
    assert "NUL character" in str(error.value)
