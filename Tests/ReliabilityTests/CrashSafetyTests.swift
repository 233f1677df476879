import Device
import MattermostModel
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue 6, item 3: SIGKILL the process that owns a phone's disk at random points while it writes the token
/// cache and the outbox, many times, on the same folder. After every kill, read the disk as a cold start would:
/// the token file is a whole version (never corrupt) at least as new as the last acknowledged write; the store
/// opens and loads; the outbox is exactly what some point of the writer's sequence at or after the last
/// acknowledged step holds — no acknowledged message missing, none twice, none back after its removal was
/// acknowledged.
///
/// The victim is `mmsim crash-writer` (Sources/mmsim/CrashWriterCommand.swift); its format is repeated here.
/// MMSIM_KILL_COUNT (default 200) and MMSIM_KILL_SEED (default random, printed) drive it; scripts/kill-test.sh
/// runs it with 1,000.
final class CrashSafetyTests: XCTestCase {
    static let server = "http://crash.mmsim.test:8065"
    static let padding = 1_024

    /// (round, step): step 0 = token written, 1 = outbox item put, 2 = outbox item k-2 removed.
    struct Point: Comparable, CustomStringConvertible {
        var round: Int
        var step: Int
        static func < (a: Point, b: Point) -> Bool { (a.round, a.step) < (b.round, b.step) }
        static let none = Point(round: 0, step: 2)
        var description: String { "round \(round) step \(["token", "put", "remove"][step])" }
    }

    struct Tally {
        var kills = 0, corrupt = 0, lost = 0, duplicated = 0, inconsistent = 0, behind = 0, selfExited = 0
        var leftoverTemps = 0, hotJournals = 0, killedBeforeReady = 0
        var landed = [0, 0, 0]  // which step the disk was found at
        var failures: [String] = []
    }

    func testSIGKILLWhileWritingTokenCacheAndOutbox() throws {
        try Binary.requireBuilt()
        let environment = ProcessInfo.processInfo.environment
        let count = environment["MMSIM_KILL_COUNT"].flatMap { Int($0) } ?? 200
        let seed = environment["MMSIM_KILL_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64(UInt32.max))
        print("crash safety: seed \(seed), \(count) kills (replay: MMSIM_KILL_SEED=\(seed) MMSIM_KILL_COUNT=\(count))")

        let dir = Binary.temporaryFolder("crash")
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = SeededRandom(seed: seed)
        var tally = Tally()
        var acked = Point.none
        var everFound = false
        let started = Date()

        for iteration in 0..<count {
            let run = try killOnce(dir: dir, rng: &rng)
            tally.kills += 1
            if run.beforeReady { tally.killedBeforeReady += 1 }
            func fail(_ what: String) {
                tally.failures.append("kill \(iteration) (seed \(seed)): \(what)")
            }
            if !run.killed {
                tally.selfExited += 1
                fail("writer exited by itself (\(run.status)): \(run.stderr)")
            }
            if let start = run.readyAt, start < acked.round {
                tally.inconsistent += 1
                fail("writer resumed at round \(start), behind acknowledged \(acked)")
            }
            if let last = run.lastAck, last > acked { acked = last }

            // Leftovers and hot journal, before anything reopens the folder.
            let tokenFolder = dir.appendingPathComponent("tokens")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: tokenFolder.path)) ?? []
            tally.leftoverTemps = names.filter { $0.contains(".tmp-") }.count
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("store.sqlite-journal").path) {
                tally.hotJournals += 1
            }

            // The token cache, read as a cold start does.
            let cache = TokenCache(folder: tokenFolder)
            var tokenRound = 0
            switch cache.read(serverURL: Self.server) {
            case .empty:
                if everFound || acked.round > 0 {
                    tally.lost += 1
                    fail("token cache empty after \(acked) was acknowledged")
                }
            case .corrupt(let reason):
                tally.corrupt += 1
                fail("token cache: \(reason)")
            case .found(let entry):
                everFound = true
                let parts = entry.token.split(separator: "-")
                if parts.count == 3, parts[0] == "tok", let k = Int(parts[1]),
                   entry.token == "tok-\(k)-" + String(repeating: "x", count: Self.padding), entry.userID == "user-\(k)" {
                    tokenRound = k
                } else {
                    tally.corrupt += 1
                    fail("token cache holds a mixed entry: token \(entry.token.prefix(20))… user \(entry.userID)")
                }
            }
            if tokenRound < acked.round {
                tally.behind += 1
                fail("token version \(tokenRound) older than acknowledged \(acked)")
            }

            // The store, opened and loaded as a cold start does (this rolls back a hot journal).
            let outbox: [OutboxItem]
            do {
                let store = try LocalStore(path: dir.appendingPathComponent("store.sqlite").path, durable: true)
                outbox = try store.load(server: Self.server).outbox
            } catch {
                tally.corrupt += 1
                fail("store does not open or load: \(error)")
                continue
            }
            var ids: [Int] = []
            for item in outbox {
                let k = item.pendingPostID.hasPrefix("p-") ? Int(item.pendingPostID.dropFirst(2)) : nil
                guard let k, item.message == "m-\(k)", item.authorID == "user-\(k)", item.createAt == Int64(k) else {
                    tally.corrupt += 1
                    fail("outbox row is not a whole item: \(item)")
                    continue
                }
                ids.append(k)
            }
            if Set(ids).count != ids.count {
                tally.duplicated += ids.count - Set(ids).count
                fail("outbox holds an item twice: \(ids)")
            }
            if ids != ids.sorted() {
                tally.inconsistent += 1
                fail("outbox out of order: \(ids)")
            }
            // Every item whose put was acknowledged and whose removal was not must be there; none whose removal was.
            let lastPut = acked.step >= 1 ? acked.round : acked.round - 1
            let lastRemoved = acked.step == 2 ? acked.round - 2 : acked.round - 3
            // (The writer may have done one more step than it acknowledged: the removal of k-2 may be it.)
            let next = acked.step == 2 ? Point(round: acked.round + 1, step: 0) : Point(round: acked.round, step: acked.step + 1)
            let missing = Set(max(1, lastRemoved + 1)...max(1, lastPut)).filter {
                $0 <= lastPut && !ids.contains($0) && !(next.step == 2 && next.round - 2 == $0 && tokenRound == next.round)
            }
            if !missing.isEmpty {
                tally.lost += missing.count
                fail("acknowledged outbox items missing: \(missing.sorted()) (have \(ids), acknowledged \(acked))")
            }
            let resurrected = ids.filter { $0 <= lastRemoved }
            if !resurrected.isEmpty {
                tally.duplicated += resurrected.count
                fail("outbox items back after their removal was acknowledged: \(resurrected) (acknowledged \(acked))")
            }
            // And the disk as a whole is one point of the sequence, at or after the acknowledged one.
            let stages = (0...2).filter { Self.expected(round: tokenRound, step: $0) == Set(ids) }
            if tokenRound > 0, let step = stages.last {
                tally.landed[step] += 1
                if environment["MMSIM_KILL_VERBOSE"] != nil {
                    print("kill \(iteration): acknowledged \(acked), disk at \(Point(round: tokenRound, step: step)), outbox \(ids)")
                }
                if Point(round: tokenRound, step: step) > next {
                    tally.inconsistent += 1
                    fail("disk at \(Point(round: tokenRound, step: step)), more than one step past acknowledged \(acked)")
                }
                if Point(round: tokenRound, step: step) < acked {
                    tally.behind += 1
                    fail("disk at \(Point(round: tokenRound, step: step)), behind acknowledged \(acked)")
                }
            } else if tokenRound > 0 || !ids.isEmpty {
                tally.inconsistent += 1
                fail("token version \(tokenRound) with outbox \(ids) is no point of the sequence")
            }
        }

        // A last restart that runs to completion: the folder is still usable after all those kills.
        let final = try Binary.run(["crash-writer", "--dir", dir.path, "--server", Self.server, "--rounds", "3"])
        XCTAssertEqual(final.status, 0, final.stderr)

        let seconds = Date().timeIntervalSince(started)
        let summary = "crash safety: \(tally.kills) kills, \(tally.corrupt) corrupt files, \(tally.lost) lost, "
            + "\(tally.duplicated) duplicated, \(tally.leftoverTemps) leftover temp files"
        print(summary)
        print("crash safety: seed \(seed); \(tally.inconsistent) inconsistent, \(tally.behind) behind the last acknowledgement, "
              + "\(tally.selfExited) exited by themselves; \(tally.killedBeforeReady) killed before ready; "
              + "disk found after token/put/remove: \(tally.landed.map(String.init).joined(separator: "/")); "
              + "\(tally.hotJournals) hot SQLite journals rolled back; last acknowledged \(acked); "
              + String(format: "%.1f s", seconds))
        for failure in tally.failures.prefix(20) { print("  " + failure) }
        XCTAssertEqual(tally.corrupt, 0, "corrupt files (seed \(seed))")
        XCTAssertEqual(tally.lost, 0, "lost (seed \(seed))")
        XCTAssertEqual(tally.duplicated, 0, "duplicated (seed \(seed))")
        XCTAssertEqual(tally.inconsistent + tally.behind + tally.selfExited, 0, "see failures above (seed \(seed))")
        XCTAssertGreaterThan(acked.round, count / 4, "the writer barely progressed; kills may be landing only at start")
    }

    /// Outbox ids after `step` of round `round`: the two previous items, plus this one once put, minus k-2 once removed.
    static func expected(round k: Int, step: Int) -> Set<Int> {
        var ids: Set<Int> = [k - 2, k - 1]
        if step >= 1 { ids.insert(k) }
        if step == 2, k > 2 { ids.remove(k - 2) }
        return ids.filter { $0 >= 1 }
    }

    struct Run {
        var killed: Bool
        var status: Int32
        var stderr: String
        var readyAt: Int?
        var lastAck: Point?
        var beforeReady: Bool
    }

    /// Starts the writer, kills it with SIGKILL after a random delay (one time in ten before it reports ready,
    /// so that opening and migrating the store is hit too), and returns what it acknowledged.
    func killOnce(dir: URL, rng: inout SeededRandom) throws -> Run {
        let process = Process()
        process.executableURL = Binary.url
        process.arguments = ["crash-writer", "--dir", dir.path, "--server", Self.server,
                             "--padding", String(Self.padding)]
            + (ProcessInfo.processInfo.environment["MMSIM_KILL_UNSAFE"] != nil ? ["--unsafe-token-write"] : [])
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let beforeReady = rng.next() % 10 == 0
        var buffer = Data()
        if beforeReady {
            usleep(UInt32(rng.next() % 30_000))
        } else {
            // Wait for "ready N\n", then let it write for 0–40 ms.
            while !(String(decoding: buffer, as: UTF8.self).hasPrefix("ready ") && buffer.contains(UInt8(ascii: "\n"))) {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
            }
            usleep(UInt32(rng.next() % 40_000))
        }
        kill(process.processIdentifier, SIGKILL)
        buffer.append(out.fileHandleForReading.readDataToEndOfFile())
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()

        var run = Run(killed: process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL,
                      status: process.terminationStatus, stderr: String(decoding: errors, as: UTF8.self),
                      beforeReady: beforeReady)
        // Only whole lines count: a line cut short was not acknowledged.
        let text = String(decoding: buffer, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        for line in lines {
            let words = line.split(separator: " ")
            guard words.count == 2, let k = Int(words[words[0] == "ready" ? 1 : 0]) else { continue }
            switch words[words[0] == "ready" ? 0 : 1] {
            case "ready": run.readyAt = k
            case "token": run.lastAck = Point(round: k, step: 0)
            case "put": run.lastAck = Point(round: k, step: 1)
            case "remove": run.lastAck = Point(round: k, step: 2)
            default: break
            }
        }
        return run
    }
}
