"""MHC Control Panel: the project package (settings, URLs and the bits every app shares)."""
