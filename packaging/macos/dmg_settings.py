"""dmgbuild settings for the macOS disk image.

Used by the release workflow after `python packaging/build.py` on macOS::

    dmgbuild -s packaging/macos/dmg_settings.py \
        -D app=dist/readinglist.app -D icon=build/icons/icon.icns \
        "readinglist" dist/readinglist-<version>.dmg

dmgbuild executes this file with `defines` (the -D values) in its namespace.
The image shows the app next to a link to /Applications, for drag-to-install.
"""

import os.path

# `defines` is provided by dmgbuild when it executes this file.
application = defines.get("app", "dist/readinglist.app")  # noqa: F821
appname = os.path.basename(application)

# UDZO (zlib) opens on every supported macOS; ULFO/ULMO are smaller but newer.
format = defines.get("format", "UDZO")  # noqa: F821
filesystem = "HFS+"
size = None  # let dmgbuild measure the app

files = [application]
symlinks = {"Applications": "/Applications"}
hide_extensions = [appname]

# The volume's icon: the app's own .icns (made by packaging/make_icons.py).
icon = defines.get("icon", "build/icons/icon.icns")  # noqa: F821

window_rect = ((200, 120), (560, 320))
default_view = "icon-view"
show_status_bar = False
show_tab_view = False
show_toolbar = False
show_pathbar = False
show_sidebar = False
icon_size = 112
text_size = 13
icon_locations = {
    appname: (150, 150),
    "Applications": (410, 150),
}
