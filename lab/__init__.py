"""The lab: what builds, measures and exercises the runtime, never shipped with it.

The replica of the publication site and the report renderer (``lab.replica``), training of
the theme model (``lab.train``), evaluations of extraction, themes and retrieval
(``lab.evaluate``), the demo (``lab.demo``) and one-off builders (``lab.scripts``). The lab
imports the runtime packages; no runtime package imports the lab. It is installed as its
own distribution (``lab/pyproject.toml``, editable, by ``make setup-dev``), which plugs its
commands (``demo``, ``eval``, ``train``, ``replica``) into the ``constats`` command.
"""
