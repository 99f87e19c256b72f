"""lgrad.study.references: the data set's own reference names variables that exist in the data."""

from __future__ import annotations

import lgrad
from lgrad.study import references


def test_the_reference_variables_are_features_of_the_data():
    ds = lgrad.load_dataset(references.WDBC_DATASET)
    assert set(references.WDBC_PLANE_FEATURES) <= set(ds.feature_names)
    assert len(references.WDBC_PLANE_FEATURES) == 3 and ds.n_features == 30
    for name in ("Worst Area", "Worst Smoothness", "Mean Texture", "97.5%", "all 30"):
        assert name in references.WDBC_QUOTE
    assert references.WDBC_PLANE_ACCURACY == 0.975 and "wdbc.names" in references.WDBC_CITATION
