"""The Teams bot: a command router and its handlers, Bot Framework authentication and replies.

Framework-free: nothing here imports Flask. `assistant/web/` turns HTTP requests into `Activity` objects and
answers; `assistant/app.py` wires both (bolt-python's split between the bot core and a thin adapter).
"""
