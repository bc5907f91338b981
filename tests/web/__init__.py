"""Web chat tests (a package, so that the Stack fixture's "package" scope ends with
this folder instead of lasting the whole test session)."""
