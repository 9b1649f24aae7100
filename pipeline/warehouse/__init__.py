"""The DuckDB warehouse: layered SQL (staging → core → marts), one writer, read-only snapshots."""
