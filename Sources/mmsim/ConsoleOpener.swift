import Foundation

/// `mmsim --open-console`: the web System Console in the desktop's browser, so Browser1 and the terminal phone
/// sit side by side. Without a desktop it only says where to browse.
enum ConsoleOpener {
    static let usersPath = "/admin_console/user_management/users"

    /// The status line to show: what was opened, or the URL to open by hand.
    static func open(server: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let root = server.hasSuffix("/") ? server : server + "/"
        let hasDesktop = [environment["DISPLAY"], environment["WAYLAND_DISPLAY"]].contains { !($0 ?? "").isEmpty }
        guard hasDesktop else { return "no desktop: browse to \(root) for the System Console" }
        let paths = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        guard let opener = paths.map({ "\($0)/xdg-open" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return "xdg-open is missing: browse to \(root) for the System Console"
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: opener)
        process.arguments = [String(root.dropLast()) + usersPath]
        // The browser's own chatter must not land on the curses screen.
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return "xdg-open failed: browse to \(root) for the System Console"
        }
        return "System Console opened in the browser: \(root)"
    }
}
