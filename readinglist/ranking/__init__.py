"""What to read next: a ranking learned on this machine from what the reader does.

Pure functions over plain dataclasses; imports only numpy and the standard library.
"""

from readinglist.ranking.docs import RankDoc
from readinglist.ranking.features import Features
from readinglist.ranking.model import MIN_SIGNALS, Model, Ranked, train
from readinglist.ranking.rising import RISING_WINDOW, rising
from readinglist.ranking.signals import Signal, signal_weight

__all__ = [
    "MIN_SIGNALS",
    "RISING_WINDOW",
    "Features",
    "Model",
    "RankDoc",
    "Ranked",
    "Signal",
    "rising",
    "signal_weight",
    "train",
]
