"""The ExeDec paper's figures per split, as data, for the benchmark table (``exedec_report.py``;
this file was ``synth/exedec/paper.py``).

Shi et al., "ExeDec: Execution Decomposition for Compositional Generalization in Neural Program
Synthesis", ICLR 2024 (arXiv:2307.13883). Their metric: a test problem is solved when some
program of the final beam (beam size 10) reproduces all given examples; 1000 test problems per
split; mean of 5 trained models. The per-split numbers are in the paper's Figure 2 (a bar chart)
and its appendix tables, which could not be read here (only abstracts, summaries and the ICLR
reviews were available: see ../shared/research/exedec_dsls.md §6), so every per-split figure is
``None`` (missing) rather than a guess. Fill ``EXEDEC_PERCENT`` from the arXiv PDF's appendix
table to have the benchmark table show them. ``REMEASURED_PERCENT`` holds what two later papers
measured when they ran ExeDec (both domains), shown in a column of its own.
"""
from __future__ import annotations

from synth.exedec import SPLITS

#: (domain, split) -> the ExeDec (Transformer, beam 10) percentage solved, or None where missing
EXEDEC_PERCENT: dict[tuple[str, str], float | None] = {
    (d, s): None
    for d in ("robustfill", "deepcoder")
    for s in SPLITS
}

#: what is known without the table (secondary sources)
KNOWN = (
    "ExeDec improves compositional-generalization accuracy about 2x to 4x over the baselines "
    "(paper summaries).",
    "On the no-generalization (NONE) split all methods perform relatively similarly (ICLR review).",
    "ExeDec vs. the no-subgoal ablation: about 80% -> 87% on average, the gain mostly from "
    "Compose-New-Op and Compose-Different-Concepts (ICLR review).",
)
SOURCE = ("Shi et al., ICLR 2024, Figure 2 / appendix (beam size 10, mean of 5 models); per-split "
          "numbers not available to us")


def paper_figure(domain: str, split: str) -> str:
    """The paper's figure for a split as table text: a percentage, or 'missing'."""
    v = EXEDEC_PERCENT.get((domain, split))
    return "missing" if v is None else f"{v:.1f}%"


#: (domain, split) -> ExeDec's percentage solved as measured by later papers, not by ExeDec's
#: authors: Zenkner, Sesterhenn and Bartelt (TU Clausthal) ran ExeDec (beam size 10; the TIIPS
#: repository's DeepCoder script points at ExeDec's released checkpoints and test data,
#: gs://exedec/..., and its plotting notebook averages five seeds) in two 2025 papers, and
#: their project pages carry the bar charts (matplotlib SVGs: each value is read from its bar's
#: height and agrees with the label printed on the bar).
#:
#: - DeepCoder: "Shedding Light on Task Decomposition in Program Synthesis: The Driving Force of
#:   the Synthesizer Model" (arXiv:2503.08738), github.com/jzenkner/regism.github.io at commit
#:   366ff9b7, ``accuracy_barplot_deepcoder.svg`` (2025-01-28), values printed with one decimal.
#:   Their second paper's chart (below) gives 61.4/14.8/38.4/22.7/22.0/19.4, within 0.5 points.
#: - RobustFill: "TIIPS: Transductively Informed Inductive Program Synthesis" (arXiv:2505.14744),
#:   github.com/jzenkner/TIIPS at commit a9ad7010, ``images/accuracy_barplot_robustfill.svg``
#:   (2025-05-15), bar heights to 0.01 (the printed labels are rounded to 2 significant digits:
#:   95, 90, 98, 97, 87, 62); their "generalization average" bar, 86.86, is the mean of the five.
REMEASURED_PERCENT: dict[tuple[str, str], float] = {
    ("deepcoder", "NONE"): 61.1,
    ("deepcoder", "LENGTH_GENERALIZATION"): 14.6,
    ("deepcoder", "COMPOSE_DIFFERENT_CONCEPTS"): 37.9,
    ("deepcoder", "SWITCH_CONCEPT_ORDER"): 22.2,
    ("deepcoder", "COMPOSE_NEW_OP"): 21.7,
    ("deepcoder", "ADD_OP_FUNCTIONALITY"): 18.9,
    ("robustfill", "NONE"): 95.40,
    ("robustfill", "LENGTH_GENERALIZATION"): 90.24,
    ("robustfill", "COMPOSE_DIFFERENT_CONCEPTS"): 98.34,
    ("robustfill", "SWITCH_CONCEPT_ORDER"): 96.72,
    ("robustfill", "COMPOSE_NEW_OP"): 86.56,
    ("robustfill", "ADD_OP_FUNCTIONALITY"): 62.44,
}
#: domain -> where its ``REMEASURED_PERCENT`` figures come from (printed under the report's tables)
REMEASURED_SOURCE: dict[str, str] = {
    "deepcoder": "arXiv:2503.08738, chart on github.com/jzenkner/regism.github.io",
    "robustfill": "arXiv:2505.14744, chart on github.com/jzenkner/TIIPS",
}


def remeasured_figure(domain: str, split: str) -> str:
    """ExeDec's figure for a split as measured by Zenkner et al. 2025 (``REMEASURED_SOURCE``), with
    its generalization gap (their NONE minus the split, in points), as table text; 'missing' where
    they give none."""
    v = REMEASURED_PERCENT.get((domain, split))
    if v is None:
        return "missing"
    base = REMEASURED_PERCENT.get((domain, "NONE"))
    if split == "NONE" or base is None:
        return f"{v:.1f}%"
    return f"{v:.1f}% (gap {base - v:+.1f})"
