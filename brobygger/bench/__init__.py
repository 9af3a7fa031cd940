"""`make bench`: timings and query counts on PostgreSQL with national-scale synthetic data (see __main__.py)."""
