"""What the book asks of training runs: the shared base run, convergence, sensitivity, post-hoc attributions,
metrics, the data description and the paper's reported values. Computes; draws nothing."""
