"""The paper's three claims, each with a verdict chosen by a stated rule from the numbers of the study across seeds.

The rules (:func:`rules_text` says them on the page, from the same constants):

* **100 % test accuracy**: *reproduced* if at least half of the seeds reach 100 % on the book's test split;
  *partly* if some seed reaches it on the book's split or on the 10 % split; *not reproduced* if none does.
* **The five variables**: over the runs that learned, *reproduced* if at least half of them hold at least
  :data:`HELD` of the paper's five in their own top five; *partly* if not, but at least half of them reach every
  block of correlated variables that the paper's five fall in (a variable read as its block); *not reproduced*
  otherwise, or when no run learned.
* **Convergence**: *reproduced* if the bars settle (:mod:`lgrad.study.convergence`'s criterion) in at least half
  of the runs that learned and at least half of the long runs still have, at their last epoch, the top five of the
  book's last epoch (without a longer run, the bars decide alone); *partly* if the bars settle but the ranking moves
  on; *not reproduced* if the bars settle in fewer than half of the runs, or no run learned.

"""

from __future__ import annotations

from ...checks import check_float, check_int
from ..convergence import SETTLE_RATIO
from ..text import percent

REPRODUCED, PARTLY, NOT = "reproduced", "partly", "not reproduced"


VERDICTS = (REPRODUCED, PARTLY, NOT)


MAJORITY = 0.5
"""A share of runs at least this large is "most runs"."""


HELD = 4
"""A top five holds the paper's list when it has at least this many of its five variables."""


def accuracy_verdict(perfect_share: float, perfect_anywhere: int) -> str:
    """The verdict on 100 % test accuracy, from the share of seeds at 100 % on the book's split and the number of
    runs at 100 % on either split."""
    perfect_share = check_float("perfect_share", perfect_share, minimum=0, maximum=1)
    perfect_anywhere = check_int("perfect_anywhere", perfect_anywhere, minimum=0)
    if perfect_share >= MAJORITY:
        return REPRODUCED
    return PARTLY if perfect_anywhere else NOT


def top5_verdict(n_learned: int, held_share: float, blocks_share: float) -> str:
    """The verdict on the five variables, from the runs that learned: the share holding at least :data:`HELD` of
    the paper's five, and the share reaching every block of the paper's five."""
    n_learned = check_int("n_learned", n_learned, minimum=0)
    held_share = check_float("held_share", held_share, minimum=0, maximum=1)
    blocks_share = check_float("blocks_share", blocks_share, minimum=0, maximum=1)
    if not n_learned:
        return NOT
    if held_share >= MAJORITY:
        return REPRODUCED
    return PARTLY if blocks_share >= MAJORITY else NOT


def convergence_verdict(n_learned: int, settle_share: float, kept_share: float | None) -> str:
    """The verdict on convergence, from the share of runs whose bars settle and the share of long runs that keep the
    top five of the book's last epoch (``None`` without a run longer than the book's)."""
    n_learned = check_int("n_learned", n_learned, minimum=0)
    settle_share = check_float("settle_share", settle_share, minimum=0, maximum=1)
    if kept_share is not None:
        kept_share = check_float("kept_share", kept_share, minimum=0, maximum=1)
    if not n_learned or settle_share < MAJORITY:
        return NOT
    return REPRODUCED if kept_share is None or kept_share >= MAJORITY else PARTLY


def rules_text() -> str:
    """The verdict rules as a Markdown list, written from the constants the verdict functions use."""
    most = f"at least {percent(MAJORITY, 0)}"
    return "\n".join(
        [
            f"- **100 % test accuracy**: *{REPRODUCED}* if {most} of the seeds reach 100 % on the book's test "
            f"split; *{PARTLY}* if fewer do, but some seed reaches 100 % on the book's split or on the 10 % split; "
            f"*{NOT}* if none does.",
            f"- **The five variables**: among the runs that learned, *{REPRODUCED}* if {most} of them have at least "
            f"{HELD} of the paper's five in their own top five; *{PARTLY}* if not, but {most} of them reach every "
            "block of strongly correlated variables that the paper's five fall in (each variable read as its block); "
            f"*{NOT}* otherwise, and when no run learned.",
            f"- **Convergence**: *{REPRODUCED}* if the bars settle (the mean change over the last epochs at most "
            f"{SETTLE_RATIO:g} times the mean change over the first) in {most} of the runs that learned, and {most} "
            "of the long runs still have at their last epoch the top five of the book's last epoch (with no run "
            f"longer than the book's, the bars decide alone); *{PARTLY}* if the bars settle but the top five moves "
            f"on; *{NOT}* if the bars settle in fewer than {percent(MAJORITY, 0)} of the runs, or no run learned.",
        ]
    )
