"""digest-tui: a terminal reader for daily research-paper digests."""

__version__ = "0.1.0"
PROJECT_URL = "https://pypi.org/project/digest-tui/"
"""Where people learn what digest-tui is: named in the User-Agent of every request `fetch` sends."""
