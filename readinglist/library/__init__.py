"""The library: SQLite tables and schema upgrades, reads, writes, records, import planning.

Imports dumps and the base (papers, errors, paths, version); never index, export or Qt.
"""
