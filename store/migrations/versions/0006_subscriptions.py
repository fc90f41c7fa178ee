"""subscriptions: saved searches followed by e-mail (newsletter)

Revision ID: 0006_subscriptions
Revises: 0003_provenance
Create Date: 2026-12-07 10:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0006_subscriptions'
down_revision = '0003_provenance'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'subscriptions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=320), nullable=False),
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('query', sa.JSON(), nullable=False),
        sa.Column('label', sa.String(length=300), nullable=True),
        sa.Column('frequency', sa.String(length=10), nullable=False),
        sa.Column('status', sa.String(length=15), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('unsubscribed_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token'),
    )
    op.create_index('ix_subscriptions_email', 'subscriptions', ['email'])


def downgrade() -> None:
    op.drop_index('ix_subscriptions_email', table_name='subscriptions')
    op.drop_table('subscriptions')
