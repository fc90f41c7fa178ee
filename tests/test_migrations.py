"""The migrations form one line: a database upgrades from empty to the one head."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from store.db import alembic_config


def test_migrations_have_a_single_head_and_a_single_line(tmp_path):
    script = ScriptDirectory.from_config(alembic_config(f"sqlite:///{tmp_path / 'x.db'}"))
    heads = script.get_heads()
    assert len(heads) == 1, f"several heads: {heads}: chain the newest migrations"
    revisions = list(script.walk_revisions())
    assert revisions[-1].down_revision is None
    assert all(not isinstance(r.down_revision, tuple) for r in revisions), "a merge revision hides a fork"
