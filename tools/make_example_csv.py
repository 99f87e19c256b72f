"""Write ``data/wine_two_cultivars.csv``, the table of the chapter "Your own data", from scikit-learn's bundled copy
of the UCI Wine recognition data (``sklearn.datasets.load_wine``: Forina et al., 178 Italian wines from three
cultivars, 13 chemical measurements each), keeping the wines of cultivars ``class_0`` and ``class_1`` (59 + 71 = 130
rows) so that the target is binary, as the paper's network needs.

The file is the bundled data as they are: the 13 measurements under scikit-learn's feature names, in its row order,
then the column ``cultivar`` holding scikit-learn's class name. Running this script again gives the same bytes
(``tests/figures/test_analysis.py`` checks it)::

    python tools/make_example_csv.py                    # rewrites data/wine_two_cultivars.csv
    python tools/make_example_csv.py --out /tmp/x.csv   # somewhere else
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.datasets import load_wine

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "data" / "wine_two_cultivars.csv"
KEPT = ("class_0", "class_1")
TARGET = "cultivar"


def example_table() -> pd.DataFrame:
    """The wines of the cultivars :data:`KEPT`, their 13 measurements and their cultivar, in scikit-learn's order."""
    bunch = load_wine()
    names = np.asarray(bunch.target_names)[bunch.target]
    frame = pd.DataFrame(bunch.data, columns=list(bunch.feature_names)).assign(**{TARGET: names})
    return frame[frame[TARGET].isin(KEPT)].reset_index(drop=True)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as UTF-8 CSV, no index, ``\\n`` line ends, floats in Python's shortest round-trip form."""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"where to write (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(csv_bytes(example_table()))
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
