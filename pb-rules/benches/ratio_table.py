"""Per-file ratio table for BENCHMARKS.md: our in-process times (the `time_rules` example's
Markdown table on stdin) against pabutools' rule times recorded in reference_outcomes.jsonl.

cargo run --release -p pb-rules --example time_rules -- ../shared/pabulib/*.pb \
    | python3 pb-rules/benches/ratio_table.py ../shared/pabulib/reference_outcomes.jsonl
"""

import json
import sys

RULES = ["greedy", "mes", "mes_add1", "mes_add1_greedy"]


def main():
    ref = {}
    for line in open(sys.argv[1], encoding="utf-8"):
        if line.strip():
            row = json.loads(line)
            ref[(row["file"], row["rule"])] = row["rule_s"]
    print("| file | " + " | ".join(f"{r}: ours ms / pabutools s / ratio" for r in RULES) + " |")
    print("| --- " * (len(RULES) + 1) + "|")
    for line in sys.stdin.read().splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        name, times = cells[0], [float(x) for x in cells[2:]]
        out = [name.removesuffix(".pb")]
        for rule, ms in zip(RULES, times):
            theirs = ref.get((name, rule))
            if theirs is None:
                out.append(f"{ms:.2f} / — / —")
            else:
                out.append(f"{ms:.2f} / {theirs:.3f} / {theirs / max(ms / 1000, 1e-5):,.0f}×")
        print("| " + " | ".join(out) + " |")


if __name__ == "__main__":
    main()
