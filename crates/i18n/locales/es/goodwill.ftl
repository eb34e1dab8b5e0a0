# Gestos de buena voluntad: la nota interna que cada uno deja en su caso.
goodwill-note = Gesto de buena voluntad: { $kind }{ $value }. Motivo: { $reason }
goodwill-refund = reembolso
goodwill-discount = descuento
goodwill-credit = saldo a favor
goodwill-replacement = reposición
goodwill-gift = regalo
goodwill-other = otro
