"""The corpus: many reports stored, compared, ranked and exported.

The per-file unit of work is :func:`gongkai.corpus.ingest.process` (pure,
picklable: read + check, everything to store or the failure) and
:func:`gongkai.corpus.ingest.store` (one transaction, idempotent by sha256).
Tables: :mod:`gongkai.corpus.models`.
"""
