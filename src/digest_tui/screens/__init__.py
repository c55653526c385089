"""The screens and dialogs of the reader."""
