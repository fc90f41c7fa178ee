"""reconciler: attempts of a report, when a file was last handed to the workers

Revision ID: 0013_reconcile
Revises: 0006_subscriptions
Create Date: 2026-12-07 00:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0013_reconcile'
down_revision = '0006_subscriptions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('reports', sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('files', sa.Column('enqueued_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('files') as batch:
        batch.drop_column('enqueued_at')
    with op.batch_alter_table('reports') as batch:
        batch.drop_column('attempts')
