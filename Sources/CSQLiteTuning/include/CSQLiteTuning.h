#ifndef CSQLITE_TUNING_H
#define CSQLITE_TUNING_H

/// Turns off SQLite's memory statistics for the whole process. They cost a process-wide mutex on every SQLite
/// allocation, which parallel databases in one process (scenarios run side by side) contend on. Works only before
/// SQLite initialises (before the first database opens); returns 0 on success, SQLite's error code otherwise.
int mmsim_sqlite_disable_memory_statistics(void);

#endif
