"""Argument validation: a wrong value raises ValueError, a wrong type TypeError, and the message names the
parameter, shows the value given and says what is allowed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lgrad.checks import MAX_SEED, check_choice, check_float, check_hidden, check_int, check_seed


def test_check_int():
    assert check_int("epochs", 3, minimum=1) == 3
    assert type(check_int("epochs", np.int64(3), minimum=1)) is int
    with pytest.raises(ValueError, match=r"^epochs must be an integer >= 1, got 0$"):
        check_int("epochs", 0, minimum=1)
    with pytest.raises(ValueError, match=r"^k must be an integer in \[1, 30\], got 31$"):
        check_int("k", 31, minimum=1, maximum=30)
    with pytest.raises(ValueError, match=r"^n must be an integer <= 5, got 6$"):
        check_int("n", 6, maximum=5)
    with pytest.raises(TypeError, match=r"^epochs must be an integer >= 1, got 2\.5 \(float\)$"):
        check_int("epochs", 2.5, minimum=1)
    with pytest.raises(TypeError, match=r"^epochs must be an integer >= 1, got True \(bool\)$"):
        check_int("epochs", True, minimum=1)
    with pytest.raises(TypeError, match=r"^epochs must be an integer, got '3' \(str\)$"):
        check_int("epochs", "3")


def test_check_float():
    assert check_float("lr", 1, minimum=0, min_inclusive=False) == 1.0
    assert type(check_float("lr", np.float32(0.5))) is float
    with pytest.raises(ValueError, match=r"^lr must be a finite number > 0, got -1$"):
        check_float("lr", -1, minimum=0, min_inclusive=False)
    with pytest.raises(ValueError, match=r"^lr must be a finite number > 0, got 0$"):
        check_float("lr", 0, minimum=0, min_inclusive=False)
    with pytest.raises(ValueError, match=r"^lr must be a finite number > 0, got nan$"):
        check_float("lr", math.nan, minimum=0, min_inclusive=False)
    with pytest.raises(ValueError, match=r"^x must be a finite number, got inf$"):
        check_float("x", math.inf)
    with pytest.raises(ValueError, match=r"^test_size must be a finite number > 0 and < 1, got 1\.5$"):
        check_float("test_size", 1.5, minimum=0, maximum=1, min_inclusive=False, max_inclusive=False)
    with pytest.raises(ValueError, match=r"^m must be a finite number >= 0 and <= 1, got 1\.01$"):
        check_float("m", 1.01, minimum=0, maximum=1)
    with pytest.raises(TypeError, match=r"^lr must be a finite number > 0, got '0\.5' \(str\)$"):
        check_float("lr", "0.5", minimum=0, min_inclusive=False)
    with pytest.raises(TypeError, match=r"\(bool\)"):
        check_float("lr", True)


def test_check_choice():
    assert check_choice("loss", "mse", ("mse", "bce")) == "mse"
    with pytest.raises(ValueError, match=r"^loss must be one of 'mse', 'bce', got 'hinge'$"):
        check_choice("loss", "hinge", ("mse", "bce"))
    with pytest.raises(ValueError, match=r"^record must be one of 'epoch', 'batch', None, got 'step'$"):
        check_choice("record", "step", ("epoch", "batch", None))
    with pytest.raises(TypeError, match=r"^activation must be one of 'sigmoid', 'relu', got None \(NoneType\)$"):
        check_choice("activation", None, ("sigmoid", "relu"))
    with pytest.raises(TypeError, match=r"^record must be one of 'epoch', None, got False \(bool\)$"):
        check_choice("record", False, ("epoch", None))


def test_check_seed():
    assert check_seed(0) == 0 and check_seed(MAX_SEED) == MAX_SEED
    with pytest.raises(ValueError, match=r"^seed must be an integer in \[0, 9223372036854775807\], got -1$"):
        check_seed(-1)
    with pytest.raises(ValueError, match=r"got 9223372036854775808$"):
        check_seed(2**63)
    with pytest.raises(TypeError, match=r"^seed must be an integer in \[0, \d+\], got 1\.5 \(float\)$"):
        check_seed(1.5)
    with pytest.raises(TypeError, match=r"^split_seed must be"):
        check_seed("0", name="split_seed")


def test_check_hidden():
    assert check_hidden((3,)) == (3,)
    assert check_hidden([4, 3]) == (4, 3)
    assert check_hidden(5) == (5,)
    assert check_hidden((np.int64(2),)) == (2,)
    allowed = r"hidden must be a non-empty sequence of integers >= 1, e\.g\. \(3,\)"
    with pytest.raises(ValueError, match=rf"^{allowed}, got \(0,\)$"):
        check_hidden((0,))
    with pytest.raises(ValueError, match=rf"^{allowed}, got \[3, -1\]$"):
        check_hidden([3, -1])
    with pytest.raises(TypeError, match=rf"^{allowed}, got '3'$"):
        check_hidden("3")
    with pytest.raises(TypeError, match=rf"^{allowed}, got \(2\.5,\)$"):
        check_hidden((2.5,))
    with pytest.raises(TypeError, match=rf"^{allowed}, got \(\)$"):
        check_hidden(())
    with pytest.raises(TypeError, match=rf"^{allowed}, got \(True,\)$"):
        check_hidden((True,))
