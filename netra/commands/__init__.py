"""The sub-commands of ``netra``, one module per area."""
