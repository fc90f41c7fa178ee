"""text_vectors: embeddings cached by text hash and embedder (index rebuilds do not re-embed)

Revision ID: 0017_text_vectors
Revises: 0013_reconcile
Create Date: 2026-12-07 02:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0017_text_vectors'
down_revision = '0013_reconcile'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'text_vectors',
        sa.Column('text_sha256', sa.String(length=64), nullable=False),
        sa.Column('embedder', sa.String(length=160), nullable=False),
        sa.Column('dim', sa.Integer(), nullable=False),
        sa.Column('vector', sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint('text_sha256', 'embedder'),
    )


def downgrade() -> None:
    op.drop_table('text_vectors')
