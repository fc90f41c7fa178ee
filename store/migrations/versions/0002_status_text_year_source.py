"""status_text of findings, year_source of reports

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06 21:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('findings', sa.Column('status_text', sa.String(length=300), nullable=True))
    op.add_column('reports', sa.Column('year_source', sa.String(length=20), nullable=True))


def downgrade() -> None:
    op.drop_column('reports', 'year_source')
    op.drop_column('findings', 'status_text')
