import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What this process holds and spends, for the commands that run many phones (fleet, soak) and their reports:
/// open files, resident memory, CPU time, SQLite's heap.
public enum ProcessResources {
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

        public init(resident: Int, peak: Int) {
            self.resident = resident
            self.peak = peak
        }
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

/// The open files `phones` phones need in this process, `perPhone` each plus the spare ones.
public struct OpenFilesBudget: Sendable {
    /// The HTTP pool, the server's listener and store, stdio, libraries, a token cache being replaced.
    public static let spareFiles = 256

    /// Per phone, in this process: its WebSocket (a fleet phone's store is in memory, its token cache file open
    /// only while written); plus the server's end of the WebSocket when the server runs in this process. A child
    /// server holds its ends in its own process, under its own limit.
    public static func filesPerPhone(serverInProcess: Bool) -> Int { serverInProcess ? 2 : 1 }

    public let phones: Int
    public let perPhone: Int
    public var needed: Int { phones * perPhone + Self.spareFiles }

    public init(phones: Int, perPhone: Int) {
        self.phones = phones
        self.perPhone = perPhone
    }

    /// Raises the limit to fit. Running out mid-run is worse than refusing: the token cache and even libdispatch
    /// (which reads /proc to size its thread pool, and traps when it cannot) would fail at random places.
    /// Returns the limit now in force.
    @discardableResult
    public func reserve(sharded: Bool = false) throws(TooFewOpenFiles) -> Int {
        let limit = ProcessResources.raiseOpenFilesLimit(wanted: needed)
        guard limit >= needed else {
            throw TooFewOpenFiles(devices: phones, needed: needed, limit: limit, perPhone: perPhone, sharded: sharded)
        }
        return limit
    }
}

public struct TooFewOpenFiles: Error, CustomStringConvertible {
    public var devices, needed, limit, perPhone: Int
    /// A shard's --devices counts every shard's phones: fewer phones here means more shards.
    public var sharded = false

    public var description: String {
        let fit = (limit - OpenFilesBudget.spareFiles) / max(1, perPhone)
        let fewer = fit < 1 ? "not even one phone fits beside the \(OpenFilesBudget.spareFiles) files kept spare"
            : sharded ? "use more shards (at most \(fit) phones each)" : "use --devices \(fit) or fewer"
        return "\(devices) phones need about \(needed) open files and the limit here is \(limit), which this process "
            + "cannot raise: \(fewer), or raise the hard limit (ulimit -Hn, docker --ulimit nofile=N:N)"
    }
}
