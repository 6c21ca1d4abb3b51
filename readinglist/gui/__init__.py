"""The PySide6 window: app, main window, worker, undo; widgets/, models/, flows/, dialogs/.

May import collection, recommendations and everything below; the core never imports it.
"""
