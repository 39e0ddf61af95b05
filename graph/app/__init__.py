"""The jobs a user runs: the main job, corpus builds, and the output-folder swap they share."""
