"""Notes to a Markdown vault: rendering, front matter, file names, manifest, paper identity.

Imports dumps (titles) and the base; never the library, the index, ranking or Qt.
"""
