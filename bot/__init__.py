"""Rasa project files, channel connectors and process management for the assistant."""
