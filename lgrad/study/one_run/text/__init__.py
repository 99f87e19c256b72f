"""The sentences of the chapters about the paper's single run, one module per chapter, chosen by the
numbers they state so that they stay true for any parameters. Every function takes numbers already computed; none
trains or measures anything."""
