"""The coordinator's knowledge: plain frozen dataclasses and pure functions, no I/O, no clock reads."""
