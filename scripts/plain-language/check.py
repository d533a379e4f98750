"""Plain language that stays plain: score every text of the web app and the server.

Every word must be common (Zipf >= 3 in wordfreq's list for its language) or on the reviewed
list of domain words (domain-words.tsv, with the plain explanation the app gives), and no
sentence may run over 15 words. Reads JSON lines {"lang", "source", "text"} on stdin; prints
the figures, every problem, and "N passed, M failed" (texts); exits 1 on any problem.
"""

import csv
import json
import re
import sys
from pathlib import Path

from wordfreq import zipf_frequency

MIN_ZIPF = 3.0
MAX_WORDS = 15
SAMPLE = "\u27e8v\u27e9"
HERE = Path(__file__).resolve().parent


def domain_words():
    words = {}
    with open(HERE / "domain-words.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if not row["explanation"].strip():
                sys.exit(f"domain-words.tsv: {row['word']} has no explanation")
            words[(row["lang"], row["word"].lower())] = row["explanation"]
    return words


def clean(text):
    text = text.replace(SAMPLE, " ")
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"\S+@\S+", " ", text)
    text = re.sub(r"\{[a-z_]+\}", " ", text)
    return text


def sentences(text):
    # A line break or the end of a sentence (. ! ? :) followed by a space or the end.
    for part in re.split(r"(?<=[.!?:])\s+|\n+", text):
        part = part.strip()
        if part:
            yield part


WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)


def words(sentence):
    return [w for w in WORD.findall(sentence)]


def main():
    allowed = domain_words()
    used_domain = set()
    texts = [json.loads(line) for line in sys.stdin if line.strip()]
    problems = []
    failed_texts = set()
    counts = {"nl": [0, 0, 0, 0], "en": [0, 0, 0, 0]}  # sentences, words, common words, domain words
    for index, item in enumerate(texts):
        lang, source = item["lang"], item["source"]
        for sentence in sentences(clean(item["text"])):
            ws = words(sentence)
            if not ws:
                continue
            c = counts[lang]
            c[0] += 1
            c[1] += len(ws)
            if len(ws) > MAX_WORDS:
                problems.append(f"{lang} {source}: {len(ws)} words in one sentence: {sentence!r}")
                failed_texts.add(index)
            for w in ws:
                lower = w.lower()
                if len(lower) == 1 or zipf_frequency(lower, lang) >= MIN_ZIPF:
                    c[2] += 1
                elif (lang, lower) in allowed:
                    c[3] += 1
                    used_domain.add((lang, lower))
                else:
                    problems.append(f"{lang} {source}: rare word {w!r} (Zipf {zipf_frequency(lower, lang):.2f}): {sentence!r}")
                    failed_texts.add(index)
    for lang, (n_sentences, n_words, common, domain) in counts.items():
        if n_sentences:
            print(f"{lang}: {n_sentences} sentences, {n_words / n_sentences:.1f} words a sentence, "
                  f"{100 * common / n_words:.1f} % common words (Zipf >= {MIN_ZIPF}), "
                  f"{100 * domain / n_words:.1f} % reviewed domain words")
    unused = sorted(set(allowed) - used_domain)
    for lang, word in unused:
        problems.append(f"{lang} domain word {word!r} is not used any more: remove it from domain-words.tsv")
    for p in sorted(set(problems)):
        print("problem:", p)
    failed = len(failed_texts) + len(unused)
    print(f"plain-language: {len(texts) - len(failed_texts)} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
