"""Compute pabutools 1.2.3 outcomes for one Pabulib file, exactly as reference_outcomes.jsonl did.

Usage: python pabutools_outcome.py [--text] FILE.pb RULE [RULE ...]
RULE is one of greedy, mes, mes_add1, mes_add1_greedy. Prints one JSON object:
{"parse_s": float, "rules": {RULE: {"winners": [ids sorted as strings], "cost": "str", "seconds": float}}}
"""

import json
import sys
import time

from pabutools.election import (
    parse_pabulib,
    Cost_Sat,
    Additive_Cardinal_Sat,
    Additive_Borda_Sat,
)
from pabutools.rules import (
    greedy_utilitarian_welfare,
    method_of_equal_shares,
    completion_by_rule_combination,
)


def sat_class_for(vote_type):
    if vote_type in ("approval", "choose-1"):
        return Cost_Sat
    if vote_type in ("cumulative", "scoring"):
        return Additive_Cardinal_Sat
    if vote_type == "ordinal":
        return Additive_Borda_Sat
    raise ValueError(f"unknown vote type {vote_type}")


def main():
    args = sys.argv[1:]
    text = args[:1] == ["--text"]
    if text:
        args = args[1:]
    path, rules = args[0], args[1:]
    start = time.perf_counter()
    instance, profile = parse_pabulib(path)
    parse_s = time.perf_counter() - start
    sat = sat_class_for(instance.meta["vote_type"])
    out = {"parse_s": parse_s, "rules": {}}
    for rule in rules:
        start = time.perf_counter()
        if rule == "greedy":
            alloc = greedy_utilitarian_welfare(
                instance, profile, sat_class=sat, is_sat_additive=True
            )
        elif rule == "mes":
            alloc = method_of_equal_shares(instance, profile, sat_class=sat)
        elif rule == "mes_add1":
            alloc = method_of_equal_shares(
                instance, profile, sat_class=sat, voter_budget_increment=1
            )
        elif rule == "mes_add1_greedy":
            alloc = completion_by_rule_combination(
                instance,
                profile,
                [method_of_equal_shares, greedy_utilitarian_welfare],
                [{"sat_class": sat, "voter_budget_increment": 1}, {"sat_class": sat}],
            )
        else:
            raise ValueError(f"unknown rule {rule}")
        seconds = time.perf_counter() - start
        winners = sorted(str(p.name) for p in alloc)
        cost = sum(p.cost for p in alloc)
        out["rules"][rule] = {"winners": winners, "cost": str(cost), "seconds": seconds}
    if text:
        print(f"  parse {out['parse_s']:.2f} s")
        for rule, res in out["rules"].items():
            print(f"  {rule} {res['seconds']:.2f} s ({len(res['winners'])} winners, cost {res['cost']})")
    else:
        print(json.dumps(out))


if __name__ == "__main__":
    main()
