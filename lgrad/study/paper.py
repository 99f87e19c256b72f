"""The paper's claims as data, to compare this reproduction against.

Reyes-Ochoa & López-Aguayo, *Representación del aprendizaje reutilizando los gradientes de la retropropagación*,
arXiv:2012.03188v1 (2020): a 30 → 3 → 1 network trained with SGD on MSE for 40 epochs on scikit-learn's breast-cancer
data; caption of Fig. 5.
"""

PAPER_CITATION = (
    "R. Reyes-Ochoa and S. López-Aguayo, “Representación del aprendizaje reutilizando los gradientes de la "
    "retropropagación”, arXiv:2012.03188v1 [cs.LG], 2020"
)
PAPER_ARXIV = "2012.03188"
PAPER_TOP5 = ["worst area", "worst texture", "worst radius", "mean perimeter", "mean texture"]
"""The five most relevant variables after training, most relevant first (Fig. 5's caption)."""
PAPER_TEST_ACCURACY = 1.0
"""Test accuracy after training (fraction): 100 %."""
PAPER_EPOCHS = 40
PAPER_HIDDEN = (3,)
PAPER_LOSS = "mse"
PAPER_FIGURE5_EPOCHS = tuple(range(1, PAPER_EPOCHS + 1, 2))
"""The epochs Fig. 5 shows: every odd one, 1, 3, …, 39."""
