"""Language-ID accuracy of the language stage on ``langid/`` (lingua test sentences).

Prints, for each threshold of a sweep, the zh recall (zh sentences kept) and the false-accept
rate of every other language (its sentences kept as zh), for full sentences and for the
2-word snippets. Uses the real :class:`LanguageIdentifier` (same model, same preprocessing,
same script-compatibility correction); ``--raw`` shows the bare model for comparison.

    .venv/bin/python benchmarks/lid_eval.py [--data ../shared/data/langid] [--model PATH]
"""

from __future__ import annotations

import argparse
import os

from zhclean.filters.language import LanguageIdentifier

THRESHOLDS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.8, 0.9)
DEFAULT_DATA = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "langid")


def load(folder: str) -> dict[str, list[str]]:
    out = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".txt"):
            with open(os.path.join(folder, name), encoding="utf-8") as fh:
                out[name[:-4]] = [line.strip() for line in fh if line.strip()]
    return out


def evaluate(
    rule: LanguageIdentifier, data: dict[str, list[str]], title: str, raw: bool = False
) -> None:
    if raw:
        preds = {lang: [(rule.predict(s, 1) or [(None, 0.0)])[0] for s in lines]
                 for lang, lines in data.items()}
    else:
        preds = {lang: [rule.identify(s) for s in lines] for lang, lines in data.items()}
    print(f"\n## {title}: share predicted zh with score >= t (zh row = recall)")
    print("lang   n     " + " ".join(f"t={t:<5}" for t in THRESHOLDS))
    for lang in sorted(preds, key=lambda x: (x != "zh", x)):
        pairs = preds[lang]
        row = [sum(1 for lab, s in pairs if lab == "zh" and s >= t) / len(pairs)
               for t in THRESHOLDS]
        print(f"{lang:5} {len(pairs):5} " + " ".join(f"{v:7.4f}" for v in row))
    zh_wrong: dict[str, int] = {}
    for lab, _ in preds.get("zh", []):
        if lab != "zh":
            zh_wrong[lab] = zh_wrong.get(lab, 0) + 1
    wrong = dict(sorted(zh_wrong.items(), key=lambda x: -x[1]))
    print("zh sentences labelled as another language (None: no prediction):", wrong)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=DEFAULT_DATA)
    parser.add_argument("--model", default="builtin:lid.176.ftz")
    parser.add_argument("--raw", action="store_true", help="bare model, no script correction")
    args = parser.parse_args()
    rule = LanguageIdentifier(model_path=args.model)
    evaluate(rule, load(os.path.join(args.data, "sentences")), "sentences", args.raw)
    evaluate(rule, load(os.path.join(args.data, "word-pairs")), "word pairs (2-word snippets)",
             args.raw)


if __name__ == "__main__":
    main()
