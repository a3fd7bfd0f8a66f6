#!/usr/bin/env python3
"""Checks the mtl sentence-classification dataset (train.jsonl, test.jsonl).

Standard library only. Prints the label counts (3 x 3 table with marginals) and
length statistics for each file, then every problem found, and exits with status 1
if there is any problem, 0 otherwise.

Checks:
  * every line is one JSON object with exactly the keys text, sentence_type, sentiment
    (all strings), text non-empty and without leading/trailing whitespace;
  * label values are exactly one of the allowed values;
  * every one of the 9 (sentence_type, sentiment) cells has the same count within a file
    (balance tolerance 0) and at least MIN_PER_CELL rows;
  * punctuation agrees with the sentence type: a question ends with "?", a statement or
    command does not;
  * length between MIN_WORDS and MAX_WORDS words;
  * no duplicates within a file and no overlap between train and test, compared exactly,
    case-insensitively, and after normalisation (lowercase, punctuation removed,
    whitespace collapsed);
  * no near-duplicates between train and test: word-set Jaccard similarity >= NEAR_JACCARD
    (after normalisation) is reported as a problem.

Usage: python3 check_dataset.py [DATA_DIR]   (default: the directory of this script)
"""

import json
import os
import re
import statistics
import sys

SENTENCE_TYPES = ("statement", "question", "command")
SENTIMENTS = ("negative", "neutral", "positive")
KEYS = {"text", "sentence_type", "sentiment"}
MIN_PER_CELL = {"train": 100, "test": 20}
MIN_WORDS, MAX_WORDS = 3, 40
NEAR_JACCARD = 0.8


def normalise(text):
    """Lowercase, drop punctuation, collapse whitespace."""
    text = re.sub(r"[^\w\s']", " ", text.lower())
    return " ".join(text.split())


def load(path, problems):
    """Returns the valid rows of a JSONL file as (line_number, row) pairs."""
    rows = []
    name = os.path.basename(path)
    try:
        handle = open(path, encoding="utf-8")
    except OSError as error:
        problems.append(f"{name}: cannot open: {error}")
        return rows
    with handle:
        for number, line in enumerate(handle, start=1):
            where = f"{name}:{number}"
            if not line.strip():
                problems.append(f"{where}: blank line")
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                problems.append(f"{where}: bad JSON: {error}")
                continue
            if not isinstance(row, dict) or set(row) != KEYS:
                problems.append(f"{where}: expected an object with keys {sorted(KEYS)}")
                continue
            if not all(isinstance(row[k], str) for k in KEYS):
                problems.append(f"{where}: every value must be a string")
                continue
            text = row["text"]
            ok = True
            if not text or text != text.strip():
                problems.append(f"{where}: text is empty or has surrounding whitespace")
                ok = False
            if row["sentence_type"] not in SENTENCE_TYPES:
                problems.append(f"{where}: bad sentence_type {row['sentence_type']!r}")
                ok = False
            if row["sentiment"] not in SENTIMENTS:
                problems.append(f"{where}: bad sentiment {row['sentiment']!r}")
                ok = False
            if not ok:
                continue
            is_question = row["sentence_type"] == "question"
            if is_question != text.endswith("?"):
                problems.append(f"{where}: {row['sentence_type']} whose ending punctuation "
                                f"does not match its type: {text!r}")
            words = len(text.split())
            if not MIN_WORDS <= words <= MAX_WORDS:
                problems.append(f"{where}: {words} words, outside {MIN_WORDS}..{MAX_WORDS}")
            rows.append((number, row))
    return rows


def report_counts(split, rows, problems):
    """Prints the 3 x 3 table with marginals and checks balance."""
    counts = {(t, s): 0 for t in SENTENCE_TYPES for s in SENTIMENTS}
    for _, row in rows:
        counts[(row["sentence_type"], row["sentiment"])] += 1
    print(f"\n{split}.jsonl: {len(rows)} rows")
    print(f"  {'':<10}" + "".join(f"{s:>10}" for s in SENTIMENTS) + f"{'total':>10}")
    for t in SENTENCE_TYPES:
        line = "".join(f"{counts[(t, s)]:>10}" for s in SENTIMENTS)
        print(f"  {t:<10}{line}{sum(counts[(t, s)] for s in SENTIMENTS):>10}")
    totals = "".join(f"{sum(counts[(t, s)] for t in SENTENCE_TYPES):>10}" for s in SENTIMENTS)
    print(f"  {'total':<10}{totals}{len(rows):>10}")
    values = set(counts.values())
    if len(values) != 1:
        problems.append(f"{split}.jsonl: cells are not balanced: {sorted(values)}")
    if min(values) < MIN_PER_CELL[split]:
        problems.append(f"{split}.jsonl: a cell has {min(values)} rows, "
                        f"fewer than {MIN_PER_CELL[split]}")
    lengths = [len(row["text"].split()) for _, row in rows]
    if lengths:
        print(f"  words per sentence: min {min(lengths)}, max {max(lengths)}, "
              f"mean {statistics.mean(lengths):.1f}, median {statistics.median(lengths)}")


def check_duplicates(split, rows, problems):
    """Exact, case-insensitive and normalised duplicates within one file."""
    for label, key in (("exact", lambda t: t), ("case-insensitive", str.lower),
                       ("normalised", normalise)):
        seen = {}
        for number, row in rows:
            k = key(row["text"])
            if k in seen:
                problems.append(f"{split}.jsonl:{number}: {label} duplicate of line "
                                f"{seen[k]}: {row['text']!r}")
            else:
                seen[k] = number


def check_overlap(train, test, problems):
    """Train/test overlap: exact, case-insensitive, normalised, and near (Jaccard)."""
    for label, key in (("exact", lambda t: t), ("case-insensitive", str.lower),
                       ("normalised", normalise)):
        train_keys = {key(row["text"]): n for n, row in train}
        for number, row in test:
            k = key(row["text"])
            if k in train_keys:
                problems.append(f"test.jsonl:{number}: {label} overlap with "
                                f"train.jsonl:{train_keys[k]}: {row['text']!r}")
    train_sets = [(n, set(normalise(r["text"]).split()), r["text"]) for n, r in train]
    for number, row in test:
        words = set(normalise(row["text"]).split())
        for n, other, text in train_sets:
            union = words | other
            if union and len(words & other) / len(union) >= NEAR_JACCARD:
                problems.append(f"test.jsonl:{number}: near-duplicate of train.jsonl:{n}: "
                                f"{row['text']!r} ~ {text!r}")


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    problems = []
    splits = {}
    for split in ("train", "test"):
        rows = load(os.path.join(directory, f"{split}.jsonl"), problems)
        splits[split] = rows
        report_counts(split, rows, problems)
        check_duplicates(split, rows, problems)
    check_overlap(splits["train"], splits["test"], problems)
    print()
    if problems:
        for problem in problems:
            print(f"PROBLEM: {problem}")
        print(f"\n{len(problems)} problem(s) found")
        return 1
    print("OK: valid JSON, exact labels, balanced cells, no duplicates, no train/test overlap")
    return 0


if __name__ == "__main__":
    sys.exit(main())
