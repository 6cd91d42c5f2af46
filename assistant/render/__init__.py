"""Rendering: text, cards and documents from domain objects."""
