"""A Teams transcript (WebVTT) read into who said what, and the sentences that sound like action items.

Suggestions only: the minutes list them as such and nothing is created from them without a person
confirming. The patterns are deliberately plain (a request to someone, a promise, "action item"), so a
suggestion can be checked against the transcript line it quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.domain.minutes import SuggestedAction

_CUE_TIME = re.compile(r"^(?P<start>\d{1,2}:\d{2}:\d{2}(?:\.\d+)?|\d{2}:\d{2}(?:\.\d+)?)\s+-->\s+")
_VOICE = re.compile(r"<v\s+(?P<speaker>[^>]+)>(?P<text>.*?)(?:</v>|$)", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_ACTION = re.compile(
    r"\b(can you|could you|would you|will you|please|i'll|i will|we'll|we will|let's make sure|action item|"
    r"needs? to|has to|take care of|follow up)\b",
    re.IGNORECASE,
)
_QUESTION_ONLY = re.compile(r"^(can|could|would|will) you (tell|explain|share your screen|hear)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Cue:
    at: str  # "00:12:41"
    speaker: str
    text: str


def parse_vtt(text: str) -> list[Cue]:
    """Cues of a WebVTT document; a cue without a `<v Speaker>` voice tag keeps an empty speaker."""
    cues = []
    for block in re.split(r"\r?\n\r?\n", text.strip()):
        lines = [line for line in block.splitlines() if line.strip()]
        timing = next((n for n, line in enumerate(lines) if _CUE_TIME.match(line)), None)
        if timing is None:
            continue  # the WEBVTT header, NOTE blocks, styles
        start = _CUE_TIME.match(lines[timing])
        assert start is not None
        body = " ".join(lines[timing + 1 :])
        voice = _VOICE.search(body)
        speaker = voice.group("speaker").strip() if voice else ""
        spoken = _TAG.sub("", voice.group("text") if voice else body).strip()
        if spoken:
            cues.append(Cue(start.group("start").split(".")[0].rjust(8, "0"), speaker, spoken))
    return cues


def suggest_actions(cues: list[Cue], limit: int = 15) -> list[SuggestedAction]:
    found = []
    for cue in cues:
        for sentence in _SENTENCE.split(cue.text):
            if _ACTION.search(sentence) and not _QUESTION_ONLY.search(sentence) and len(sentence.split()) >= 4:
                found.append(SuggestedAction(sentence.strip(), cue.speaker or "someone", cue.at))
    return found[:limit]
