"""digest-tui: a terminal reader for daily research-paper digests."""

__version__ = "0.1.0"
