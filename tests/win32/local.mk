# win32 tests
