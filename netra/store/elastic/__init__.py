"""The request side of the Elasticsearch store (issue #13): pure functions that build what the
adapter sends (index templates, documents, bulk bodies, searches, aggregations, kNN) and read what
it gets back (bulk responses, aggregation and kNN hits). No client and no network here; the
client-backed adapter that implements the role ports on top of these comes next.

- ``mappings``: index templates with strict mappings, versioned indices behind aliases;
- ``documents``: deterministic ``_id``s, domain objects to documents and back;
- ``bulk``: NDJSON bulk bodies (idempotent upserts), chunking, per-item error parsing;
- ``queries``: the queue search (filters, ``q``, sort, ``search_after`` in a point in time),
  aggregations, similar flags (kNN), optimistic-concurrency parameters of a review.
"""
