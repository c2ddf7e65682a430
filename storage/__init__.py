"""Storage: SQLAlchemy 2 models, migrations and the idempotent load functions of the pipeline."""
