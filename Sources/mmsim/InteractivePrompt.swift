import Foundation
#if canImport(Glibc)
import Glibc
import MattermostModel
#endif

/// Asks for a password on the terminal before the UI starts, with echo off. Never a flag: flags end up
/// in shell history and `ps`.
enum InteractivePrompt {
    static func password(_ prompt: String) -> String? {
        StandardStream.error.write(prompt)
        var saved = termios()
        let isTTY = tcgetattr(STDIN_FILENO, &saved) == 0
        if isTTY {
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        }
        defer {
            if isTTY {
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
                StandardStream.error.write("\n")
            }
        }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else { return nil }
        return line
    }
}
