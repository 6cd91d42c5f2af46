"""Suggested action items from a WebVTT transcript: quoted with speaker and time, never more than that."""

from __future__ import annotations

from assistant.domain.transcript import parse_vtt, suggest_actions

VTT = """WEBVTT

NOTE recorded by Teams

00:00:05.120 --> 00:00:09.400
<v Megan Bowen>Good morning everyone. Let's start with the pilot.</v>

00:01:12.000 --> 00:01:18.500
<v Megan Bowen>Tomasz, can you roll out the docking firmware by Friday? The docks still flicker.</v>

00:01:19.000 --> 00:01:21.000
<v Tomasz Nowak>Sure. I'll send the rollout schedule tomorrow.</v>

00:02:00.000 --> 00:02:03.000
<v Grace Liu>Can you hear me?</v>

00:02:04.000 --> 00:02:06.000
plain cue without a voice tag
"""


def test_cues_keep_time_speaker_and_text():
    cues = parse_vtt(VTT)
    assert [(c.at, c.speaker) for c in cues][:2] == [("00:00:05", "Megan Bowen"), ("00:01:12", "Megan Bowen")]
    assert cues[-1].speaker == "" and cues[-1].text == "plain cue without a voice tag"


def test_requests_and_promises_are_suggested_small_talk_is_not():
    suggestions = suggest_actions(parse_vtt(VTT))
    assert [(s.speaker, s.at, s.text) for s in suggestions] == [
        ("Megan Bowen", "00:01:12", "Tomasz, can you roll out the docking firmware by Friday?"),
        ("Tomasz Nowak", "00:01:19", "I'll send the rollout schedule tomorrow."),
    ]
