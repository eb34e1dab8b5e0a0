# Goodwill gestures: the internal note each one leaves on its case.
goodwill-note = Goodwill gesture: { $kind }{ $value }. Why: { $reason }
goodwill-refund = refund
goodwill-discount = discount
goodwill-credit = credit
goodwill-replacement = replacement
goodwill-gift = gift
goodwill-other = other
