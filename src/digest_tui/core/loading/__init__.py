"""Loading digests: walking folders, the parse cache, the warm-start snapshot, folder watching."""
