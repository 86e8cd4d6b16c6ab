"""Sample data: the deterministic demo sales database used by the demo source and tests."""

from data_assistant.sample_data.sales import (
    CATEGORY_NAMES,
    CHANNELS,
    COUNTRY_NAMES,
    DEMO_SEED,
    REGION_NAMES,
    SEGMENTS,
    STATUSES,
    ensure_demo_db,
    generate_sales_db,
)

__all__ = [
    "CATEGORY_NAMES",
    "CHANNELS",
    "COUNTRY_NAMES",
    "DEMO_SEED",
    "REGION_NAMES",
    "SEGMENTS",
    "STATUSES",
    "ensure_demo_db",
    "generate_sales_db",
]
