"""Use cases: where Graph, rendering and storage meet."""
