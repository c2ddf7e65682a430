"""Pure parsers: article text (+ its date) -> structured project and batch records. No I/O here."""
