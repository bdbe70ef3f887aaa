"""A plan file is uploaded in the browser (setting up an inspection), so reading it is bounded like a
question set's: no hang, no exhausted memory or stack, a short message that quotes no expanded value."""

import time
import tracemalloc

import pytest

from sampling.plan import PlanInvalid, load_plan_text

BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    + ["code: *i"]
)


def refused_quickly(text: str) -> PlanInvalid:
    tracemalloc.start()
    started = time.monotonic()
    with pytest.raises(PlanInvalid) as refused:
        load_plan_text(text)
    elapsed = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 5 and peak < 50 * 1024 * 1024
    return refused.value


def test_a_plan_whose_aliases_would_expand_to_a_billion_values_is_refused_in_a_short_line():
    refused = refused_quickly(BILLION_LAUGHS)
    assert len(str(refused)) < 300 and "lol" not in str(refused)


def test_a_plan_nested_thousands_deep_is_refused_not_a_recursion_error():
    refused = refused_quickly("code: " + "[" * 5000 + "]" * 5000)
    assert "nest" in str(refused)  # ours, or libyaml's own limit when it meets the depth first


def test_a_plan_over_the_size_limit_is_refused_without_being_parsed():
    refused = refused_quickly("code: x\n" + "# padding\n" * 300_000)
    assert "longer than" in str(refused)


def test_a_plan_that_is_not_yaml_says_where():
    refused = refused_quickly("code: [unclosed\n")
    assert "not valid YAML" in str(refused) and "line" in str(refused)
