"""Shared pytest setup: hypothesis runs derandomised and without deadlines (shared, noisy CI machines)."""
from hypothesis import HealthCheck, settings

settings.register_profile(
    "fulcrum",
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("fulcrum")
