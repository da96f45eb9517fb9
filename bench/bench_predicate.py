"""How fast a compiled segment rule decides, against a hand-written lambda, GrowthBook's
evalCondition and the reference interpreter, on the same 100,000 responses.

Run: PYTHONPATH=src .venv/bin/python bench/bench_predicate.py
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from datetime import date, timedelta

from growthbook.core import evalCondition

from kairos.engine.rules import compile_rule, evaluate_reference

# BENCH_SCALE=0.01 runs it small: the smoke test (tests/test_bench_smoke.py) does.
RESPONSES = max(100, int(100_000 * float(os.environ.get("BENCH_SCALE", "1"))))
REPETITIONS = 5
TODAY = date(2026, 11, 27)
STORES = ("athens", "thessaloniki", "patras", "heraklion", "larissa")

# (nps <= 6 AND store in [athens, thessaloniki] AND amount >= 50)
#   OR (rating <= 4 AND transaction_date within the last 30 days)
RULE = {
    "any": [
        {
            "all": [
                {"field": "answers.nps", "op": "lte", "value": 6},
                {"field": "questionnaire.store_id", "op": "in",
                 "value": ["athens", "thessaloniki"]},
                {"field": "questionnaire.amount", "op": "gte", "value": 50},
            ]
        },
        {
            "all": [
                {"field": "answers.rating", "op": "lte", "value": 4},
                {"field": "questionnaire.transaction_date", "op": "within_last_days",
                 "value": 30},
            ]
        },
    ]
}

# GrowthBook reads dotted keys as nested paths, so its attributes use flat names. Its
# dates are ISO strings, compared as strings against the same 30-day window.
GROWTHBOOK_CONDITION = {
    "$or": [
        {"nps": {"$lte": 6}, "store_id": {"$in": ["athens", "thessaloniki"]},
         "amount": {"$gte": 50}},
        {"rating": {"$lte": 4},
         "transaction_date": {"$gte": (TODAY - timedelta(days=30)).isoformat(),
                              "$lte": TODAY.isoformat()}},
    ]
}

LISTED_STORES = frozenset({"athens", "thessaloniki"})


# What a developer would write by hand for this one rule.
hand_written = lambda values, today: (  # noqa: E731 - the baseline is a lambda
    (
        (nps := values.get("answers.nps")) is not None and nps <= 6
        and values.get("questionnaire.store_id") in LISTED_STORES
        and (amount := values.get("questionnaire.amount")) is not None and amount >= 50
    ) or (
        (rating := values.get("answers.rating")) is not None and rating <= 4
        and (day := values.get("questionnaire.transaction_date")) is not None
        and 0 <= (today - day).days <= 30
    )
)


def generated_responses(count: int, seed: int = 20261127) -> list[dict]:
    """Varied responses: some answers skipped, amounts int or float, dates over 90 days
    (a few in the future), and the responder metadata a real response carries."""
    generator = random.Random(seed)
    responses = []
    for number in range(count):
        values = {
            "questionnaire.transaction_id": f"T{number}",
            "questionnaire.store_id": generator.choice(STORES),
            "questionnaire.transaction_date": TODAY - timedelta(generator.randint(-2, 90)),
            "questionnaire.products": generator.sample(["sku1", "sku2", "sku3"], 2),
            "responder.email": f"customer{number}@example.com",
        }
        amount = generator.uniform(5, 200)
        values["questionnaire.amount"] = round(amount, 2) if number % 2 else int(amount)
        if generator.random() < 0.9:
            values["answers.nps"] = generator.randint(0, 10)
        if generator.random() < 0.8:
            values["answers.rating"] = generator.randint(1, 5)
        responses.append(values)
    return responses


def growthbook_attributes(values: dict) -> dict:
    """The same response as GrowthBook attributes (prepared outside the timing)."""
    names = {
        "answers.nps": "nps",
        "answers.rating": "rating",
        "questionnaire.store_id": "store_id",
        "questionnaire.amount": "amount",
    }
    attributes = {names[key]: value for key, value in values.items() if key in names}
    attributes["transaction_date"] = values["questionnaire.transaction_date"].isoformat()
    return attributes


def best_rate(
    decide: Callable, inputs: list, argument: object, repetitions: int
) -> tuple[float, int]:
    """The best evaluations per second over the repetitions, and the match count.

    Each candidate is called directly as decide(item, argument), with no wrapper, so
    the loop adds the same small cost to all of them."""
    best = float("inf")
    for _ in range(repetitions):
        started = time.perf_counter()
        matches = 0
        for item in inputs:
            if decide(item, argument):
                matches += 1
        best = min(best, time.perf_counter() - started)
    return len(inputs) / best, matches


def disagreements(responses: list, attributes: list, predicate: Callable) -> int:
    """Per response, not just in total: how often the predicate's answer differs."""
    return sum(
        1
        for values, attrs in zip(responses, attributes, strict=True)
        if not predicate(values, TODAY)
        == hand_written(values, TODAY)
        == evalCondition(attrs, GROWTHBOOK_CONDITION)
    )


def main() -> None:
    responses = generated_responses(RESPONSES)
    attributes = [growthbook_attributes(values) for values in responses]
    predicate = compile_rule(RULE)

    candidates = [
        ("hand-written lambda", hand_written, responses, TODAY),
        ("compile_rule predicate", predicate, responses, TODAY),
        ("growthbook evalCondition", evalCondition, attributes, GROWTHBOOK_CONDITION),
        ("evaluate_reference", lambda values, today: evaluate_reference(RULE, values, today),
         responses, TODAY),
    ]
    rates, match_counts = {}, set()
    print(f"{RESPONSES:,} responses, best of {REPETITIONS} (evaluate_reference: of 2)\n")
    print(f"{'implementation':<26}{'evals/s':>14}{'matches':>10}")
    for name, decide, inputs, argument in candidates:
        repetitions = 2 if name == "evaluate_reference" else REPETITIONS
        rate, matches = best_rate(decide, inputs, argument, repetitions)
        rates[name] = rate
        match_counts.add(matches)
        print(f"{name:<26}{rate:>14,.0f}{matches:>10,}")
    print(f"\nsame match count everywhere: {'yes' if len(match_counts) == 1 else 'NO'}; "
          f"responses where the predicate disagrees with the lambda or GrowthBook: "
          f"{disagreements(responses, attributes, predicate)}\n")

    predicate_rate = rates["compile_rule predicate"]
    print(f"predicate ÷ evalCondition : {predicate_rate / rates['growthbook evalCondition']:6.1f}×"
          "   (target ≥ 10)")
    print(f"lambda ÷ predicate        : {rates['hand-written lambda'] / predicate_rate:6.2f}×"
          "   (target ≤ 2)")
    print(f"predicate ÷ reference     : {predicate_rate / rates['evaluate_reference']:6.1f}×")


if __name__ == "__main__":
    main()
