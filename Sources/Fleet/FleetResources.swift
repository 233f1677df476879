import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Process resources a fleet run needs and reports: open files, resident memory.
public enum FleetResources {
    /// RLIM_INFINITY, which Swift cannot import (it is `-1` cast to an unsigned type).
    static let unlimited = rlim_t.max

    /// Each phone holds a WebSocket and, while it talks, an HTTP connection; an embedded server holds the other
    /// ends in the same process. Raises the soft limit to the hard one, and the hard one to `wanted` where
    /// permitted (root). Returns the soft limit now in force.
    @discardableResult
    public static func raiseOpenFilesLimit(wanted: Int) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        if limit.rlim_max != unlimited, limit.rlim_max < rlim_t(wanted) {
            var raised = limit
            raised.rlim_max = rlim_t(wanted)
            raised.rlim_cur = rlim_t(wanted)
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { return wanted }
        }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return limit.rlim_cur == unlimited ? Int.max : Int(limit.rlim_cur)
    }

    public struct Memory: Sendable, Equatable {
        /// VmRSS and VmHWM (peak), in bytes.
        public var resident: Int
        public var peak: Int
    }

    /// From /proc/self/status; zeros where it does not exist.
    public static func memory() -> Memory {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return Memory(resident: 0, peak: 0) }
        func kilobytes(_ key: String) -> Int {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return 0 }
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        }
        return Memory(resident: kilobytes("VmRSS") * 1024, peak: kilobytes("VmHWM") * 1024)
    }

    /// glibc's malloc_trim, which Swift's Glibc module does not export (malloc.h is not in it).
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }  // RTLD_DEFAULT
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()

    /// SQLite's own heap (sqlite3_memory_used), which the phones' stores and an embedded server share; looked up
    /// at run time so that this module need not link SQLite itself. Attributes part of a phone's RSS to its store.
    private static let sqliteMemoryUsed: (@convention(c) () -> Int64)? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sqlite3_memory_used") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) () -> Int64).self)
        #else
        return nil
        #endif
    }()

    public static func sqliteHeap() -> Int { Int(sqliteMemoryUsed?() ?? 0) }

    /// CPU time (user + system) of this process, every thread, in seconds: the phones' side of a fleet run when
    /// the server runs in a child.
    public static func cpuSeconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Resident memory after handing freed heap pages back to the OS, so that a before/after difference counts
    /// what is held, not what a burst of requests left in malloc's free lists.
    public static func settledResident() -> Int {
        _ = mallocTrim?(0)
        return memory().resident
    }
}
