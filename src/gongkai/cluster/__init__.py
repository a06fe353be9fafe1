"""The cluster path of ``corpus add``: reading and checking on Dask, results in batches.

=====================  ====================================================
``connect``            ``local:N`` or a scheduler's address → a client, the
                       dashboard's address (or why there is none)
``run``                the driver: bounded tasks in flight, results to a
                       sink in batches (database or Parquet); faults
``parquet``            the Parquet dataset partitioned by year and region,
                       and DuckDB views that make it look like the database
=====================  ====================================================

    from gongkai.cluster.connect import start
    from gongkai.cluster.run import ParquetSink, ingest
    from gongkai.corpus.collect import items_from_paths

    items, _ = items_from_paths(["reports/"])
    with start("local:4") as cluster:
        summary = ingest(items, ParquetSink("national/"), cluster=cluster)

See ``docs/cluster.md``.
"""
