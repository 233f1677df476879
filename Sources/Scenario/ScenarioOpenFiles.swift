import Device

/// Scenario phones against the process's open files. Each keeps its SQLite store and a WebSocket whose server end
/// is in this process too. With too few files `mmsim run` died of SIGILL (libdispatch traps when it cannot read
/// /proc) or its phones failed one by one ("local store unreadable").
public enum ScenarioOpenFiles {
    public static let perPhone = OpenFilesBudget.filesPerPhone(serverInProcess: true) + 1

    /// The most phones alive at once: those of the `jobs` largest scenarios.
    public static func phonesAtOnce(_ scenarios: [Scenario], jobs: Int) -> Int {
        scenarios.map(\.devices.count).sorted(by: >).prefix(max(1, jobs)).reduce(0, +)
    }

    /// Raises the limit to fit; else why it cannot (bad input: exit 2 before anything runs).
    public static func reserve(_ scenarios: [Scenario], jobs: Int) -> String? {
        let phones = phonesAtOnce(scenarios, jobs: jobs)
        do throws(TooFewOpenFiles) {
            try OpenFilesBudget(phones: phones, perPhone: perPhone).reserve()
            return nil
        } catch {
            let fit = max(0, (error.limit - OpenFilesBudget.spareFiles) / perPhone)
            return "\(phones) phones at once (the largest scenarios' devices, --jobs \(jobs)) need about \(error.needed) "
                + "open files and the limit here is \(error.limit), which this process cannot raise: at most \(fit) "
                + "phones fit at once (fewer devices, or a lower --jobs), or raise the hard limit (ulimit -Hn)"
        }
    }
}
