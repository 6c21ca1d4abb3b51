"""The window's dialogs: import preview and summary, export, tags, shortcuts, reading.

May import the rest of gui, collection and everything below it; never cli.
"""
