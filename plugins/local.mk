EXTRA_DIST += plugins/plugin.map
