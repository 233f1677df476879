// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "mmsim",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "mmsim", targets: ["mmsim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        .target(name: "MattermostModel"),
        .target(name: "MattermostClient", dependencies: [
            "MattermostModel",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "EmbeddedServer", dependencies: [
            "MattermostModel",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Device", dependencies: [
            "MattermostModel", "MattermostClient",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "FaultProxy", dependencies: [
            "MattermostClient",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Scenario", dependencies: [
            "Device", "EmbeddedServer", "MattermostClient", "FaultProxy", "TerminalUI",
            .product(name: "Yams", package: "Yams"),
        ]),
        // Debian's libncurses-dev (.ci/run installs it). No pkgConfig: SwiftPM drops its -D flags with a warning
        // on every build, and shim.h defines what they would (libncursesw.so pulls in libtinfo itself).
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .target(name: "TerminalUI", dependencies: ["Device"]),
        // The only code that talks to ncurses: a backend of TerminalUI's loop.
        .target(name: "TerminalCurses", dependencies: ["TerminalUI", "CNcurses"]),
        .target(name: "CSQLiteTuning", linkerSettings: [.linkedLibrary("sqlite3")]),
        .executableTarget(name: "mmsim", dependencies: [
            "EmbeddedServer", "Device", "Scenario", "TerminalUI", "TerminalCurses", "MattermostClient", "Fleet", "FaultProxy", "CSQLiteTuning",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "EmbeddedServerTests", dependencies: [
            "EmbeddedServer", "MattermostModel", "MattermostClient",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
        ]),
        .testTarget(name: "DeviceTests", dependencies: ["Device", "EmbeddedServer", .product(name: "Hummingbird", package: "hummingbird")]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "MMSimTestSupport"], resources: [.copy("Golden")]),
        .target(name: "MMSimTestSupport", path: "Tests/Support"),
        .testTarget(name: "ScenarioTests", dependencies: ["Scenario", "MMSimTestSupport"]),
        .target(name: "Fleet", dependencies: ["Device", "EmbeddedServer", "MattermostClient", .product(name: "Logging", package: "swift-log")]),
        .executableTarget(name: "mmsim-bench", dependencies: [
            "Device", "EmbeddedServer", "TerminalUI", "MattermostClient", .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        .testTarget(name: "FleetTests", dependencies: ["Fleet", "FaultProxy", "MMSimTestSupport"]),
        .testTarget(name: "ReliabilityTests", dependencies: [
            "Device", "EmbeddedServer", "FaultProxy", "MattermostClient", "MMSimTestSupport",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
