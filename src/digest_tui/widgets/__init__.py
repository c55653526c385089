"""The Textual widgets of the reader."""
