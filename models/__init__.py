"""Trained artefacts and reference data, shipped in the wheel as the package ``constats.models``.

Only the runtime's files are package data (``themes/classifier.joblib``,
``reference/geo.json.gz``); labels, gold sets, model cards and evaluations stay in the
repository. Runtime code finds them through ``constats.resources``, never by a path
relative to the source tree.
"""
