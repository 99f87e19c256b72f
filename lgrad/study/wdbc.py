"""The published reference for the breast-cancer data: what its own description, ``wdbc.names``, says about it.

W. H. Wolberg, W. N. Street and O. L. Mangasarian, *Breast Cancer Wisconsin (Diagnostic)*, UCI Machine Learning
Repository, 1995, file ``wdbc.names``, section "Results" (https://doi.org/10.24432/C5DW2B). The separating plane was
found by the Multisurface Method-Tree (Bennett 1992) with an exhaustive search over 1–4 features and 1–3 planes.
"""

WDBC_CITATION = (
    "W. H. Wolberg, W. N. Street and O. L. Mangasarian, “Breast Cancer Wisconsin (Diagnostic)”, UCI Machine Learning "
    "Repository, 1995, file wdbc.names, https://doi.org/10.24432/C5DW2B"
)
WDBC_DATASET = "breast_cancer"
"""The lgrad data set the reference describes (scikit-learn's copy of the UCI data)."""
WDBC_QUOTE = (
    "sets are linearly separable using all 30 input features; best predictive accuracy obtained using one "
    "separating plane in the 3-D space of Worst Area, Worst Smoothness and Mean Texture. Estimated accuracy 97.5% "
    "using repeated 10-fold crossvalidations."
)
"""The "Results" of ``wdbc.names``, quoted (its first item, the target field, left out)."""
WDBC_PLANE_FEATURES = ["worst area", "worst smoothness", "mean texture"]
"""The three variables of the best separating plane, in scikit-learn's feature names, in the order quoted."""
WDBC_PLANE_ACCURACY = 0.975
"""The plane's accuracy estimated by repeated 10-fold cross-validation (fraction)."""
WDBC_LINEARLY_SEPARABLE = True
"""The two classes are linearly separable using all 30 features."""
