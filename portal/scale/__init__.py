"""The national-size data set behind `manage.py seed_scale` and the benchmark (bench/)."""

from .world import Counts, World, database_has_data

__all__ = ["Counts", "World", "database_has_data"]
