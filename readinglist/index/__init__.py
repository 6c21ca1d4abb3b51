"""The Whoosh index: lifecycle, fields and analyzers, queries, bulk scoring, lock, shims.

Imports only the base (papers, errors, paths, version); never library, export or Qt.
"""
