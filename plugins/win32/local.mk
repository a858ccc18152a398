# win32 plugin
