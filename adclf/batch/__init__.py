"""Batch runs on Ray Data: classify a whole archive (a folder, a manifest, a glob) without the job
store, with the service's own `Pipeline` in an actor pool, into one Parquet (and CSV) file.

    inputs.py   what to classify: folder / manifest / glob / list → BatchInput rows
    rows.py     the output's columns (the API's result fields + status, error, explanation)
    stages.py   the Ray Data stages: read and probe (CPU tasks), classify (actor pool)
    output.py   the output: checkpointed parts (resume), merged into Parquet and CSV
    run.py      the Ray Data pipeline and its progress
    driver.py   `python -m adclf.batch` (what `ray job submit` runs)
    manager.py  the service's batch actor behind POST /batches (client.py is its door)"""
