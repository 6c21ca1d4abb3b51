"""Qt item models over the core: the paper table, a model over ids.

May import the rest of gui, collection and everything below it; never cli.
"""
