"""provenance from the publication site: thematic label and announced counts of publications

Revision ID: 0003_provenance
Revises: 0002
Create Date: 2026-12-06 22:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0003_provenance'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('publications', sa.Column('thematic', sa.String(length=300), nullable=True))
    op.add_column('publications', sa.Column('announced_rappels', sa.Integer(), nullable=True))
    op.add_column('publications', sa.Column('announced_recommendations', sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column('publications', 'announced_recommendations')
    op.drop_column('publications', 'announced_rappels')
    op.drop_column('publications', 'thematic')
