"""Letters the ministry sends, as documents one can archive: the funding decision (PDF)."""
