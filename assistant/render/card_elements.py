"""The pieces every Adaptive Card of Coordinator is built from, and the rule that keeps plan text safe in them.

Plan text (titles, names, subjects) only goes into TextRuns, which Adaptive Cards never read as markdown;
TextBlocks, which Teams renders as markdown, carry only our own words, numbers and dates. The one thing renderers
still expand in a TextRun, `{{DATE(…)}}`/`{{TIME(…)}}`, is broken up with an invisible word joiner.
"""

from __future__ import annotations

from typing import Any

CARD_VERSION = "1.5"  # the newest Teams renders (Teams' designer host targets 1.5)
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"

Element = dict[str, Any]


def text(words: str, **style: Any) -> Element:
    """A TextBlock for our own words only: Teams renders its text as markdown."""
    return {"type": "TextBlock", "text": words, "wrap": True, **style}


def rich(inlines: list[Element], **style: Any) -> Element:
    return {"type": "RichTextBlock", "inlines": inlines, **style}


def run(words: str, **style: Any) -> Element:
    """A TextRun: shown as written, never read as markdown, so any title is safe here."""
    return {"type": "TextRun", "text": words.replace("{{", "{\u2060{"), **style}


def cut(words: str, limit: int) -> str:
    """One line of at most `limit` characters, cut at a word where one is near, with an ellipsis."""
    flat = " ".join(words.split())
    if len(flat) <= limit:
        return flat
    head = flat[: limit - 1]
    space = head.rfind(" ")
    return (head[:space] if space > limit * 2 // 3 else head).rstrip(" ,;:") + "…"
