"""The window's widgets: panes, table view and column widths, detail pane, editors, charts.

May import the rest of gui, collection and everything below it; never cli.
"""
