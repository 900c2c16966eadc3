"""One module per normalisation; each calls ``rankaudit.stats.methods.register`` at import."""
