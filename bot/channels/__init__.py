"""Input channels through which citizens reach the assistant."""
