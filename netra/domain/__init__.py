"""The ground floor: what Netra's words mean (the domain model, the NIP, roles and tokens,
pseudonyms, settings, CSV cells, the search-query language). It imports nothing else of Netra;
collectors, classifiers, the stores and the application above all import it."""
