"""Coordinator: the administrative half of IT project coordination inside Microsoft 365."""

__version__ = "0.1.0"
