"""lgrad.study.text: a guarded sentence names itself and why it no longer holds."""

from __future__ import annotations

import pytest

from lgrad.study import text


def test_a_guard_names_the_sentence_and_why():
    text.guard(True, "the bars settle", "fine")
    with pytest.raises(text.SentenceError, match=r"^the sentence 'the bars settle' no longer holds: ratio 0.9"):
        text.guard(False, "the bars settle", "ratio 0.9")
