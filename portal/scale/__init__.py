"""The national-size data set behind `manage.py seed_scale` and the benchmark (bench/)."""

from .base import Counts, database_has_data
from .world import World

__all__ = ["Counts", "World", "database_has_data"]
