"""The theme jobs: refit, births, re-theming and the emergence scan, run by event time.

They orchestrate and hold no SQL: they read through the theme store
(`pipeline.warehouse.theme_store`), run the theme algorithms of `topics/`, and write through
the store. They take the connection and the paths they need (`ThemeFiles`), never settings.
"""
