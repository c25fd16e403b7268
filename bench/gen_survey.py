#!/usr/bin/env python3
"""Generate the survey of issue #16 for bench/compare.sh: a questionnaire (TOML template for
diagnoza) and a CSV of N respondents.

60 questions: 5 grouping variables (select_one, disaggregation), 40 rating questions 1-5 plus
98 = "hard to say", 10 multiple choice of 12 options (codes separated by spaces, as Kobo/ODK write
them), 5 integers; plus an `id` column (the questionnaire number). Deterministic for a seed.

    bench/gen_survey.py --respondents 100000 --out DIR     # DIR/ankieta.toml, DIR/survey.csv
"""
import argparse
import os
import random

AREAS = ["polityka_prorodzinna", "wspieranie_rodziny", "pomoc_spoleczna", "zdrowie",
         "niepelnosprawnosc", "edukacja", "bezrobocie", "kultura", "kultura_fizyczna",
         "aktywnosc_obywatelska", "mieszkalnictwo", "srodowisko", "reintegracja"]
GROUPS = [("plec", ["k", "m"]), ("wiek", ["w18_29", "w30_44", "w45_59", "w60_74", "w75"]),
          ("miejsce", ["wies", "miasto", "solectwo"]),
          ("status", ["praca", "emeryt", "bezrobotny", "uczen"]),
          ("gospodarstwo", ["jednoos", "para", "rodzina", "wielopok"])]
RATINGS = [f"ocena_{i:02d}" for i in range(1, 41)]
MULTI = [f"wybor_{i:02d}" for i in range(1, 11)]
OPTIONS = [f"o{i:02d}" for i in range(1, 13)]
INTS = [f"liczba_{i}" for i in range(1, 6)]


def template():
    t = ['[settings]', 'form_id = "bench60"',
         'form_title = { pl = "Ankieta testowa (60 pytań)", en = "Benchmark survey (60 questions)" }',
         'version = "1"', 'default_language = "pl"', '']
    for name, opts in GROUPS:
        t += ['[[survey]]', f'type = "select_one {name}_l"', f'name = "{name}"',
              f'label = {{ pl = "Grupa {name}", en = "Group {name}" }}', 'role = "metric"',
              'disaggregation = true', '']
    for i, name in enumerate(RATINGS):
        t += ['[[survey]]', 'type = "select_one ocena"', f'name = "{name}"',
              f'label = {{ pl = "Ocena {i + 1}", en = "Rating {i + 1}" }}', 'role = "quality"',
              f'area = "{AREAS[i % len(AREAS)]}"', '']
    for i, name in enumerate(MULTI):
        t += ['[[survey]]', 'type = "select_multiple opcje"', f'name = "{name}"',
              f'label = {{ pl = "Wybór {i + 1}", en = "Choice {i + 1}" }}', 'role = "barrier"', '']
    for i, name in enumerate(INTS):
        t += ['[[survey]]', 'type = "integer"', f'name = "{name}"',
              f'label = {{ pl = "Liczba {i + 1}", en = "Number {i + 1}" }}', 'role = "metric"',
              'constraint = ". >= 0 and . <= 100"', '']
    for name, opts in GROUPS:
        for o in opts:
            t += ['[[choices]]', f'list_name = "{name}_l"', f'name = "{o}"',
                  f'label = {{ pl = "{o}", en = "{o}" }}', '']
    for s in range(1, 6):
        t += ['[[choices]]', 'list_name = "ocena"', f'name = "{s}"',
              f'label = {{ pl = "{s}", en = "{s}" }}', f'score = {s}', '']
    t += ['[[choices]]', 'list_name = "ocena"', 'name = "98"',
          'label = { pl = "Trudno powiedzieć", en = "Hard to say" }', '']
    for o in OPTIONS:
        t += ['[[choices]]', 'list_name = "opcje"', f'name = "{o}"',
              f'label = {{ pl = "Opcja {o}", en = "Option {o}" }}', '']
    return "\n".join(t)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--respondents", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "ankieta.toml"), "w") as f:
        f.write(template())
    rnd = random.Random(a.seed)
    # Precomputed pools of multiple-choice cells (1-3 options, space-separated).
    pool = [" ".join(sorted(rnd.sample(OPTIONS, rnd.randint(1, 3)))) for _ in range(4096)]
    pool += [""] * 400  # some left blank
    ratings = ["1", "2", "3", "4", "5", "98", ""]
    weights = [10, 15, 25, 25, 15, 7, 3]
    header = ["id"] + [g for g, _ in GROUPS] + RATINGS + MULTI + INTS
    with open(os.path.join(a.out, "survey.csv"), "w", newline="") as f:
        f.write(",".join(header) + "\n")
        chunk = 20000
        for start in range(0, a.respondents, chunk):
            n = min(chunk, a.respondents - start)
            cols = [[str(start + i + 1) for i in range(n)]]
            cols += [rnd.choices(opts, k=n) for _, opts in GROUPS]
            cols += [rnd.choices(ratings, weights, k=n) for _ in RATINGS]
            cols += [rnd.choices(pool, k=n) for _ in MULTI]
            cols += [[str(rnd.randint(0, 100)) for _ in range(n)] for _ in INTS]
            f.write("\n".join(",".join(r) for r in zip(*cols)) + "\n")


if __name__ == "__main__":
    main()
