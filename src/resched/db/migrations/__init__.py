"""Alembic migrations, shipped inside the package so an installed resched can migrate its
database from any working directory (script_location = ``resched.db:migrations``)."""
