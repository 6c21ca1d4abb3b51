"""What the window does step by step: import, export, listing, navigation, triage, search.

May import the rest of gui, collection and everything below it; never cli.
"""
