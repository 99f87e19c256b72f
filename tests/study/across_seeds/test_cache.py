"""lgrad.study.across_seeds.cache: a saved study keeps what it shares."""

from __future__ import annotations

from lgrad.study import runs
from lgrad.study.across_seeds import cache
from lgrad.study.across_seeds import study as across_study

SHORT = {"epochs": 3}


def test_a_saved_study_keeps_a_shared_design_shared(tmp_path):
    study = across_study._compute(runs.run_settings(SHORT, test_size=0.1), 2, 4)
    loaded = cache.load_study(cache.save_study(study, tmp_path / "s.npz"))
    assert loaded.runs["small_test"] is loaded.runs["both"]
