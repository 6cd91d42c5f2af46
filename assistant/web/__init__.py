"""Flask blueprints: HTTP in and out only (STYLE layers). Each module exposes a `blueprint(...)` factory that
the composition root (`assistant/app.py`) calls with the objects it built; nothing is registered on import."""
