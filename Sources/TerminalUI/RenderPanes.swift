import Device

/// The System Console, the focused phone's timeline, and the dialogs drawn over everything.
extension Canvas {
    mutating func drawConsole(in rect: Rect) {
        let focused = state.focus == .console
        let border = CellStyle(bold: focused, role: focused ? .accent : .dim)
        frame.grid.box(rect, title: "System Console \(glyphs.breadcrumb) Users", glyphs: glyphs, style: border,
                       titleStyle: CellStyle(bold: true, role: focused ? .accent : .normal))
        hit(rect, .pane(.console))
        let inner = Rect(x: rect.x + 2, y: rect.y + 1, width: rect.width - 4, height: rect.height - 2)
        guard inner.height > 4 else { return }
        var y = inner.y
        let console = state.console
        let who = console.signedIn ? "signed in as \(console.username)" : "signed out (\(console.username))"
        frame.grid.label(who, in: Rect(x: inner.x, y: y, width: inner.width, height: 1), CellStyle(role: console.signedIn ? .good : .error))
        y += 2
        let button = frame.grid.button("Revoke All Sessions", x: inner.x, y: y, focused: focused && state.consoleCursor == 0, role: .danger)
        hit(button, .revokeAll)
        y += 2
        let nameWidth = max(10, inner.width - 22)
        frame.grid.put("User".padded(to: nameWidth) + " Sessions", x: inner.x, y: y, CellStyle(bold: true, role: .dim), limit: inner.width)
        y += 1
        let logRoom = max(3, inner.height / 3)
        let userRows = max(0, inner.maxY - y - logRoom - 1)
        for (row, entry) in console.users.enumerated().prefix(userRows) {
            let selected = focused && state.consoleCursor == row + 1
            let count = "\(entry.sessionCount)"
            let text = entry.username.clipped(to: nameWidth).padded(to: nameWidth) + " " + String(repeating: " ", count: max(0, 8 - count.count)) + count
            frame.grid.put(text, x: inner.x, y: y, CellStyle(bold: selected, reverse: selected), limit: inner.width)
            let revoke = frame.grid.button("Revoke", x: inner.x + text.count + 2, y: y, focused: selected, role: .warning)
            hit(revoke, .revokeUser(index: row))
            y += 1
        }
        if console.users.isEmpty {
            frame.grid.label("(no users loaded)", in: Rect(x: inner.x, y: y, width: inner.width, height: 1), CellStyle(role: .dim))
            y += 1
        }
        // The selected user's second action: no room for it on every row, so it sits under the table.
        if focused, console.users.indices.contains(state.consoleCursor - 1), y < inner.maxY {
            let reset = frame.grid.button("Reset password", x: inner.x, y: y, focused: false, role: .warning)
            hit(reset, .resetPassword(index: state.consoleCursor - 1))
            let username = console.users[state.consoleCursor - 1].username
            frame.grid.put(" \(username) (u) \(glyphs.dot) clears a lockout", x: reset.maxX, y: y, CellStyle(role: .dim),
                           limit: max(0, inner.maxX - reset.maxX))
            y += 1
        }
        y += 1
        guard y < inner.maxY else { return }
        frame.grid.put("Log", x: inner.x, y: y, CellStyle(bold: true, role: .dim))
        y += 1
        drawEntries(console.log.map { ($0.at, $0.text) }, in: Rect(x: inner.x, y: y, width: inner.width, height: inner.maxY - y))
    }

    mutating func drawTimeline(in rect: Rect) {
        let focused = state.focus == .timeline
        let border = CellStyle(bold: focused, role: focused ? .accent : .dim)
        let name = state.phone?.name ?? "no phone"
        frame.grid.box(rect, title: "Timeline \(glyphs.breadcrumb) \(name)", glyphs: glyphs, style: border,
                       titleStyle: CellStyle(bold: true, role: focused ? .accent : .normal))
        hit(rect, .pane(.timeline))
        let inner = Rect(x: rect.x + 2, y: rect.y + 1, width: rect.width - 4, height: rect.height - 2)
        let entries = state.phone?.timeline.entries.map { ($0.at, "\($0.kind.rawValue): \($0.text)") } ?? []
        if entries.isEmpty {
            frame.grid.label("(nothing yet)", in: inner, CellStyle(role: .dim))
        }
        let hidden = drawEntries(entries, in: inner, scrolledUp: state.timelineScroll)
        if hidden > 0 {
            frame.grid.put(" \(hidden) newer lines below (End) ", x: rect.x + 2, y: rect.maxY - 1,
                           CellStyle(bold: true, role: .accent), limit: rect.width - 4)
        }
    }

    /// "HH:MM:SS text" entries, wrapped under their time, newest at the bottom; `scrolledUp` lines of the newest
    /// are left out (clamped to what exists). Returns how many newer lines are hidden below.
    @discardableResult
    mutating func drawEntries(_ entries: [(Int64, String)], in rect: Rect, scrolledUp: Int = 0) -> Int {
        guard rect.height > 0, rect.width > 12 else { return 0 }
        var lines: [(String, Bool)] = []
        // Only what the window can reach: the newest entries up to the scroll plus a screenful.
        let reach = scrolledUp > entries.count ? entries.count : min(entries.count, rect.height + scrolledUp)
        for (at, text) in entries.suffix(reach) {
            let wrapped = text.wrapped(to: rect.width - 9)
            for (index, part) in wrapped.enumerated() {
                lines.append(((index == 0 ? state.clockText(at, seconds: true) + " " : String(repeating: " ", count: 9)) + part, index == 0))
            }
        }
        let hidden = min(scrolledUp, max(0, lines.count - rect.height))
        let window = lines.dropLast(hidden).suffix(rect.height)
        for (offset, line) in window.enumerated() {
            let y = rect.y + offset
            frame.grid.put(line.0, x: rect.x, y: y, .plain, limit: rect.width)
            if line.1 { frame.grid.restyle(Rect(x: rect.x, y: y, width: 8, height: 1)) { $0.role = .dim } }
        }
        return hidden
    }

    mutating func drawDialog() {
        switch state.dialog {
        case .confirmRevokeAll(let confirmFocused):
            drawConfirm(title: "Revoke all sessions in the system", button: "Revoke All Sessions", confirmFocused: confirmFocused,
                        text: "This action revokes all sessions in the system. All users will be logged out from all devices, including your session. Are you sure you want to revoke all sessions?")
        case .confirmRevokeUser(_, let username, let confirmFocused):
            drawConfirm(title: "Revoke Sessions for \(username)", button: "Revoke", confirmFocused: confirmFocused,
                        text: "This action revokes all sessions for \(username). They will be logged out from all devices. Are you sure you want to revoke all sessions for \(username)?")
        case .resetPassword(let form): drawResetPassword(form)
        case .help: drawHelp()
        case .message(let text): drawMessage(text)
        case nil: break
        }
    }

    /// A centred box over everything; a click outside it cancels.
    mutating func overlay(width wanted: Int, lines: Int, title: String, role: ColorRole) -> Rect {
        let w = min(wanted, width - 2)
        let h = min(lines + 2, height - 2)
        let rect = Rect(x: (width - w) / 2, y: max(1, (height - h) / 2), width: w, height: h)
        frame.hits.append(Hit(rect: Rect(x: 0, y: 0, width: width, height: height), action: .cancel))
        frame.grid.fill(rect, " ", .plain)
        frame.grid.box(rect, title: title, glyphs: glyphs, style: CellStyle(bold: true, role: role),
                       titleStyle: CellStyle(bold: true, role: role))
        return Rect(x: rect.x + 2, y: rect.y + 1, width: rect.width - 4, height: rect.height - 2)
    }

    /// Mattermost's confirm dialog before sessions go: Cancel focused, the danger button one Tab away.
    mutating func drawConfirm(title: String, button: String, confirmFocused: Bool, text: String) {
        let w = min(64, width - 2)
        let wrapped = text.wrapped(to: w - 4)
        let inner = overlay(width: w, lines: wrapped.count + 5, title: title, role: .danger)
        let used = frame.grid.paragraph(text, in: inner)
        let y = inner.y + used + 1
        guard y < inner.maxY else { return }
        let cancel = frame.grid.button("Cancel", x: inner.x, y: y, focused: !confirmFocused)
        hit(cancel, .cancel)
        let confirm = frame.grid.button(button, x: cancel.maxX + 2, y: y, focused: confirmFocused, role: .danger)
        hit(confirm, .confirm)
        frame.grid.label("Server: \(state.serverURL)", in: Rect(x: inner.x, y: y + 1, width: inner.width, height: 1),
                         CellStyle(bold: true, role: .danger))
        frame.grid.label("Tab, then Enter = revoke \(glyphs.dot) Enter/Esc = cancel",
                         in: Rect(x: inner.x, y: y + 2, width: inner.width, height: 1), CellStyle(role: .dim))
    }

    /// Mattermost's Reset password modal. The password is drawn as bullets, one per character typed.
    mutating func drawResetPassword(_ form: ResetPasswordForm) {
        let text = "Set a new password for \(form.username). This clears a login lockout and logs \(form.username) out of every device."
        let w = min(64, width - 2)
        let wrapped = text.wrapped(to: w - 4)
        let inner = overlay(width: w, lines: wrapped.count + 5, title: "Reset password", role: .warning)
        var y = inner.y + frame.grid.paragraph(text, in: inner) + 1
        guard y + 2 < inner.maxY else { return }
        let label = "New password: "
        frame.grid.put(label, x: inner.x, y: y, CellStyle(bold: true))
        let masked = String(repeating: glyphs.bullet, count: form.newPassword.count) + "_"
        frame.grid.put(masked, x: inner.x + label.count, y: y, CellStyle(reverse: true, role: .accent),
                       limit: max(0, inner.width - label.count))
        y += 2
        let cancel = frame.grid.button("Cancel", x: inner.x, y: y, focused: false)
        hit(cancel, .cancel)
        let reset = frame.grid.button("Reset", x: cancel.maxX + 2, y: y, focused: true, role: .warning)
        hit(reset, .confirm)
        frame.grid.label("Enter = reset \(glyphs.dot) Esc = cancel", in: Rect(x: inner.x, y: y + 1, width: inner.width, height: 1),
                         CellStyle(role: .dim))
    }

    mutating func drawHelp() {
        let clockHelp = state.embedded ? "clock +1 minute (server and phones)" : "phones' clock +1 minute"
        let global = KeyMap.bindings.map { binding in
            ("\(binding.functionName.padded(to: 4))\(binding.letter)", binding.action == .clock ? clockHelp : binding.help)
        }
        let rows: [(String, String)] = global + [
            ("u", "console: Reset password (clears a lockout)"),
            ("Tab Esc", "next field or pane · back, leave a field"),
            ("Enter", "activate (log in, open, send)"),
            ("1 2 3", "show Phones / Console / Timeline"),
            ("PgUp/Dn", "scroll the timeline (End follows the newest)"),
            ("w  l", "save the timelines (data folder) · log out"),
        ]
        let inner = overlay(width: 60, lines: rows.count + 2, title: "Help \(glyphs.dot) mmsim keys", role: .accent)
        for (offset, row) in rows.enumerated() where offset < inner.height {
            frame.grid.put(row.0.padded(to: 8), x: inner.x, y: inner.y + offset, CellStyle(bold: true))
            frame.grid.put(row.1, x: inner.x + 8, y: inner.y + offset, .plain, limit: inner.width - 8)
        }
        frame.grid.label("Letters act on the channel list only. Any key closes.",
                         in: Rect(x: inner.x, y: inner.maxY - 1, width: inner.width, height: 1), CellStyle(role: .dim))
    }

    mutating func drawMessage(_ text: String) {
        let wrapped = text.wrapped(to: 52)
        let inner = overlay(width: 56, lines: wrapped.count + 2, title: "mmsim", role: .accent)
        frame.grid.paragraph(text, in: inner)
        frame.grid.label("Any key closes.", in: Rect(x: inner.x, y: inner.maxY - 1, width: inner.width, height: 1), CellStyle(role: .dim))
    }
}
