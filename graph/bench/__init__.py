"""The benchmark and its synthetic plans (measurement only; the main job never imports it)."""
