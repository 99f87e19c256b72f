"""Every external fact the book compares against, each defined once here with its source.

* The paper: R. Reyes-Ochoa and S. López-Aguayo, *Representación del aprendizaje reutilizando los gradientes de la
  retropropagación*, arXiv:2012.03188v1 (2020): a 30 → 3 → 1 network trained with SGD on MSE for 40 epochs on
  scikit-learn's breast-cancer data; its claims are in the caption of Fig. 5 and in Section 4.
* The data set's own description, ``wdbc.names`` (W. H. Wolberg, W. N. Street and O. L. Mangasarian, *Breast Cancer
  Wisconsin (Diagnostic)*, UCI Machine Learning Repository, 1995, section "Results"): its best separating plane,
  found by the Multisurface Method-Tree (Bennett 1992) with an exhaustive search over 1–4 features and 1–3 planes.
* GradEnFS (Liu et al. 2024): the decay β of its authors' code.
"""

PAPER_CITATION = (
    "R. Reyes-Ochoa and S. López-Aguayo, “Representación del aprendizaje reutilizando los gradientes de la "
    "retropropagación”, arXiv:2012.03188v1 [cs.LG], 2020, https://arxiv.org/abs/2012.03188"
)
PAPER_TOP5 = ["worst area", "worst texture", "worst radius", "mean perimeter", "mean texture"]
"""The five most relevant variables after training, most relevant first (Fig. 5's caption)."""
PAPER_TEST_ACCURACY = 1.0
"""Test accuracy after training (fraction): 100 %."""
PAPER_EPOCHS = 40
PAPER_LOSS = "mse"
PAPER_FIGURE5_EPOCHS = tuple(range(1, PAPER_EPOCHS + 1, 2))
"""The epochs Fig. 5 shows: every odd one, 1, 3, …, 39."""

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
WDBC_PLANE_FEATURES = ("worst area", "worst smoothness", "mean texture")
"""The three variables of the best separating plane, in scikit-learn's feature names, in the order quoted."""
WDBC_PLANE_ACCURACY = 0.975
"""The plane's accuracy estimated by repeated 10-fold cross-validation (fraction), as ``wdbc.names`` reports it."""

GRADENFS_BETA = 0.7
"""The GradEnFS decay: the default of ``--beta`` in the authors' code (github.com/KaitingLiu/GradEnFS,
``argparser.py``)."""
GRADENFS_BETA_SOURCE = "the default of the authors' code (github.com/KaitingLiu/GradEnFS)"
