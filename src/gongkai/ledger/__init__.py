"""The agency's ledger of disclosure applications.

Pure parts (no storage): :mod:`~gongkai.ledger.calendar` (working days),
:mod:`~gongkai.ledger.clock` (deadlines, explained), :mod:`~gongkai.ledger.model`
(applications, events), :mod:`~gongkai.ledger.state` (the allowed moves and
the state derived from events), :mod:`~gongkai.ledger.fees`,
:mod:`~gongkai.ledger.tables`, :mod:`~gongkai.ledger.reconcile`,
:mod:`~gongkai.ledger.importer` and :mod:`~gongkai.ledger.export`.
Storage: :mod:`~gongkai.ledger.store` over :mod:`gongkai.db`.
"""
