import Device
import MattermostModel

/// A phone: device frame, status bar, the app's current screen, a footer about the connection.
extension Canvas {
    mutating func drawPhones(in area: Rect) {
        guard !state.phones.isEmpty else { return }
        let perRow = max(1, min(4, area.width / Layout.phoneWidth))
        // Show a window of phones that contains the focused one.
        let first = max(0, min(state.focusedPhone - perRow + 1, state.phones.count - perRow))
        let shown = Array(state.phones.indices).dropFirst(first).prefix(perRow)
        let total = shown.count * Layout.phoneWidth
        var x = area.x + max(0, (area.width - total) / 2)
        let height = min(area.height, Layout.phoneMaxHeight)
        for index in shown {
            drawPhone(index, in: Rect(x: x, y: area.y, width: Layout.phoneWidth, height: height))
            x += Layout.phoneWidth
        }
        if shown.count < state.phones.count {
            let note = "phone \(state.focusedPhone + 1) of \(state.phones.count)" + (state.appKeysWork ? " \(glyphs.dot) F4 next" : "")
            frame.grid.label(note, in: Rect(x: area.x, y: area.y + height, width: area.width, height: 1), CellStyle(role: .dim), centered: true)
        }
    }

    mutating func drawPhone(_ index: Int, in rect: Rect) {
        let phone = state.phones[index]
        let focused = index == state.focusedPhone
        let body = Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: rect.height)
        hit(body, .focusPhone(index))
        let who = phone.account.map { " \(glyphs.dot) \($0.username)" } ?? ""
        let marker = focused ? "\(glyphs.selector) " : ""
        let border = CellStyle(bold: focused, role: focused ? .accent : .dim)
        frame.grid.box(body, title: "\(marker)\(phone.name)\(who) [\(phone.app.shortName)]", glyphs: glyphs, rounded: true,
                       style: border)
        let inner = body.inset(1)
        guard inner.height >= 6 else { return }
        guard phone.powered else { return drawOff(phone, index, in: inner) }
        drawStatusBar(phone, index, in: Rect(x: inner.x, y: inner.y, width: inner.width, height: 1))
        frame.grid.fill(Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: 1), glyphs.horizontal, CellStyle(role: .dim))
        let footerY = inner.maxY - 1
        let screen = Rect(x: inner.x + 1, y: inner.y + 2, width: inner.width - 2, height: inner.height - 3)
        if phone.visibility == .background {
            drawHome(in: screen)
            drawFooter(phone, in: Rect(x: inner.x, y: footerY, width: inner.width, height: 1))
            return
        }
        switch phone.screen {
        case .off: drawOff(phone, index, in: inner)
        case .server: drawServer(phone, index, in: screen)
        case .login: drawLogin(phone, index, in: screen)
        case .channels: drawChannels(phone, index, in: screen)
        case .channel(let id): drawChannel(phone, index, channelID: id, in: screen)
        }
        drawFooter(phone, in: Rect(x: inner.x, y: footerY, width: inner.width, height: 1))
    }

    mutating func drawStatusBar(_ phone: DeviceState, _ index: Int, in rect: Rect) {
        let style = CellStyle(bold: true)
        let clockWidth = frame.grid.put(" " + state.clockText(state.nowMillis), x: rect.x, y: rect.y, style)
        // The radio, and the link's quality when a fault profile is on (F7), kept clear of the clock and the power.
        let power = "\(glyphs.power) ON "
        let room = max(1, rect.width - clockWidth - power.count - 2)
        let full = phone.airplane ? glyphs.airplane : phone.network == .online ? "LTE" : "LTE \(phone.network.rawValue)"
        let radio = full.count <= room ? full : String(phone.network.rawValue.prefix(room))
        let radioX = rect.x + clockWidth + 1 + (room - radio.count) / 2
        frame.grid.put(radio, x: radioX, y: rect.y, CellStyle(bold: true, role: phone.airplane || phone.network != .online ? .warning : .good))
        hit(Rect(x: radioX, y: rect.y, width: radio.count, height: 1), .airplane(phone: index))
        let powerX = rect.maxX - power.count
        frame.grid.put(power, x: powerX, y: rect.y, CellStyle(bold: true, role: .good))
        hit(Rect(x: powerX, y: rect.y, width: power.count, height: 1), .power(phone: index))
    }

    /// The phone's home screen while the app is in the background.
    mutating func drawHome(in rect: Rect) {
        frame.grid.fill(rect, " ", CellStyle(role: .screen))
        let middle = rect.y + rect.height / 2
        frame.grid.label("(home screen)", in: Rect(x: rect.x, y: middle - 1, width: rect.width, height: 1), CellStyle(role: .dim), centered: true)
        frame.grid.label("Mattermost runs in the background", in: Rect(x: rect.x, y: middle, width: rect.width, height: 1),
                         CellStyle(role: .dim), centered: true)
        guard state.appKeysWork else { return }
        frame.grid.label("F8 opens it", in: Rect(x: rect.x, y: middle + 1, width: rect.width, height: 1), CellStyle(bold: true), centered: true)
    }

    /// A dark screen: nothing runs, only a hint how to wake it.
    mutating func drawOff(_ phone: DeviceState, _ index: Int, in rect: Rect) {
        frame.grid.fill(rect, " ", CellStyle(role: .screen))
        let middle = rect.y + rect.height / 2
        frame.grid.label("(powered off)", in: Rect(x: rect.x, y: middle - 1, width: rect.width, height: 1), CellStyle(role: .dim), centered: true)
        guard state.appKeysWork else { return }
        let focused = index == state.focusedPhone && state.focus == .powerButton
        let title = "Power On (F3)"
        let x = rect.x + max(0, (rect.width - title.count - 4) / 2)
        let button = frame.grid.button(title, x: x, y: middle + 1, focused: focused)
        hit(button, .power(phone: index))
    }

    mutating func drawBanner(_ banner: Banner?, in rect: inout Rect) {
        guard let banner else { return }
        let style = CellStyle(bold: true, reverse: true, role: banner.isError ? .error : .good)
        // Room for Mattermost's longest login errors (the lockout one takes four lines on a 30-column phone).
        let lines = banner.text.wrapped(to: rect.width - 2).prefix(rect.height >= 20 ? 5 : 3)
        for (offset, line) in lines.enumerated() {
            let row = Rect(x: rect.x, y: rect.y + offset, width: rect.width, height: 1)
            frame.grid.fill(row, " ", style)
            frame.grid.put(line, x: rect.x + 1, y: row.y, style, limit: rect.width - 2)
        }
        rect = Rect(x: rect.x, y: rect.y + lines.count + 1, width: rect.width, height: rect.height - lines.count - 1)
    }

    /// The real app's landing after a forced logout: "Let’s Connect to a Server", the server prefilled.
    mutating func drawServer(_ phone: DeviceState, _ index: Int, in area: Rect) {
        var rect = area
        drawBanner(phone.banner, in: &rect)
        var y = rect.y + (rect.height >= 15 ? 1 : 0)
        func line() -> Rect { Rect(x: rect.x, y: y, width: rect.width, height: 1) }
        frame.grid.label("Welcome", in: line(), CellStyle(role: .dim), centered: true); y += 1
        frame.grid.label("Let\u{2019}s Connect to a Server", in: line(), CellStyle(bold: true), centered: true); y += 2
        frame.grid.label("Enter Server URL", in: line(), CellStyle(role: .dim)); y += 1
        drawField(phone.serverURL.replacingOccurrences(of: "http://", with: ""), placeholder: "", focused: false, in: line())
        y += 2
        let focused = index == state.focusedPhone && state.focus == .connectButton
        let title = "Connect"
        let x = rect.x + max(0, (rect.width - title.count - 4) / 2)
        if y < rect.maxY {
            let button = frame.grid.button(title, x: x, y: y, focused: focused)
            hit(button, .connect(phone: index))
        }
    }

    mutating func drawLogin(_ phone: DeviceState, _ index: Int, in area: Rect) {
        var rect = area
        drawBanner(phone.banner, in: &rect)
        // Spacers go first when the screen is short (80x24 with a banner).
        let roomy = rect.height >= 15
        var y = rect.y
        func line() -> Rect { Rect(x: rect.x, y: y, width: rect.width, height: 1) }
        if roomy { y += 1 }
        frame.grid.label("Mattermost", in: line(), CellStyle(bold: true, role: .accent), centered: true); y += 1
        frame.grid.label("Log in to your account", in: line(), CellStyle(bold: true), centered: true); y += 1
        if roomy { y += 1 }
        frame.grid.label("Server: " + Self.serverLabel(phone.serverURL), in: line(), CellStyle(role: .dim)); y += 1
        if roomy { y += 1 }
        let focusHere = index == state.focusedPhone
        for (label, field) in [("Username", Focus.username), ("Password", Focus.password)] {
            frame.grid.label(label, in: line(), CellStyle(role: .dim)); y += 1
            let value = field == .username ? phone.loginForm.username
                : String(repeating: glyphs.bullet, count: phone.loginForm.password.count)
            let focused = focusHere && state.focus == field
            drawField(value, placeholder: field == .username ? "user-1" : "", focused: focused, in: line())
            hit(line(), .field(phone: index, field)); y += 1
        }
        y += 1
        let submitting = phone.loginForm.submitting
        let title = submitting ? "Logging in\(glyphs.ellipsis)" : "Log In"
        let x = rect.x + max(0, (rect.width - title.count - 4) / 2)
        if y < rect.maxY {
            let button = frame.grid.button(title, x: x, y: y, focused: focusHere && state.focus == .loginButton)
            hit(button, .logIn(phone: index))
        }
    }

    /// A one-line text field: "[text_    ]"; the cursor mark only where focus is.
    mutating func drawField(_ value: String, placeholder: String, focused: Bool, in rect: Rect) {
        let inside = rect.width - 2
        var shown = value + (focused ? "_" : "")
        if shown.count > inside { shown = String(shown.suffix(inside)) }
        let style = CellStyle(bold: focused, reverse: focused, role: focused ? .accent : .normal)
        frame.grid.put("[", x: rect.x, y: rect.y, CellStyle(role: .dim))
        frame.grid.put(shown.padded(to: inside), x: rect.x + 1, y: rect.y, style)
        if value.isEmpty, !focused, !placeholder.isEmpty {
            frame.grid.put(placeholder, x: rect.x + 1, y: rect.y, CellStyle(role: .dim), limit: inside)
        }
        frame.grid.put("]", x: rect.maxX - 1, y: rect.y, CellStyle(role: .dim))
    }

    mutating func drawChannels(_ phone: DeviceState, _ index: Int, in area: Rect) {
        let header = CellStyle(bold: true, reverse: true, role: .title)
        let headerRow = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        frame.grid.fill(headerRow, " ", header)
        frame.grid.put(" " + (phone.team?.displayName ?? "(no team)"), x: area.x, y: area.y, header, limit: area.width)
        var rect = Rect(x: area.x, y: area.y + 2, width: area.width, height: area.height - 2)
        drawBanner(phone.banner, in: &rect)
        guard rect.height > 1 else { return }
        frame.grid.label("CHANNELS", in: Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), CellStyle(role: .dim))
        let listFocused = index == state.focusedPhone && state.focus == .channelList
        let cursor = state.channelCursor.indices.contains(index) ? state.channelCursor[index] : 0
        for (row, channel) in phone.channels.enumerated() where row + 1 < rect.height {
            let line = Rect(x: rect.x, y: rect.y + 1 + row, width: rect.width, height: 1)
            let selected = row == cursor
            let text = (selected ? "\(glyphs.selector) " : "  ") + channel.displayName
            frame.grid.put(text.padded(to: rect.width), x: line.x, y: line.y, CellStyle(bold: selected, reverse: selected && listFocused))
            hit(line, .channel(phone: index, index: row))
        }
        if phone.channels.isEmpty {
            frame.grid.label("  (loading\(glyphs.ellipsis))", in: Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: 1), CellStyle(role: .dim))
        }
    }

    mutating func drawChannel(_ phone: DeviceState, _ index: Int, channelID: String, in area: Rect) {
        let name = phone.channels.first { $0.id == channelID }?.displayName ?? "channel"
        let header = CellStyle(bold: true, reverse: true, role: .title)
        let headerRow = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        frame.grid.fill(headerRow, " ", header)
        frame.grid.put("\(glyphs.back) \(name)", x: area.x, y: area.y, header, limit: area.width)
        hit(Rect(x: area.x, y: area.y, width: 2, height: 1), .back(phone: index))
        var rect = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 3)
        drawBanner(phone.banner, in: &rect)

        // Posts then unsent outbox items, newest at the bottom, as many as fit.
        var lines: [(String, CellStyle)] = []
        for post in phone.posts[channelID] ?? [] {
            lines.append(("\(state.username(for: post.userID, on: phone)) \(state.clockText(post.createAt))", CellStyle(bold: true)))
            for text in post.message.wrapped(to: rect.width - 1) { lines.append((" " + text, .plain)) }
        }
        for item in phone.visibleOutbox where item.channelID == channelID {
            let mark = item.state == .failed ? glyphs.failed : glyphs.pending
            let author = state.username(for: item.authorID, on: phone)
            lines.append(("\(author) \(mark)", CellStyle(bold: true, role: item.state == .failed ? .error : .warning)))
            for text in item.message.wrapped(to: rect.width - 1) { lines.append((" " + text, CellStyle(role: .dim))) }
        }
        if lines.isEmpty { lines.append(("(no messages yet)", CellStyle(role: .dim))) }
        let visible = lines.suffix(max(0, rect.height))
        for (offset, line) in visible.enumerated() {
            frame.grid.put(line.0, x: rect.x, y: rect.y + offset, line.1, limit: rect.width)
        }
        let composerRow = Rect(x: area.x, y: area.maxY - 1, width: area.width, height: 1)
        let focused = index == state.focusedPhone && state.focus == .composer
        let draft = state.drafts.indices.contains(index) ? state.drafts[index] : ""
        drawField(draft, placeholder: "Write to \(name)", focused: focused, in: composerRow)
        hit(composerRow, .field(phone: index, .composer))
    }

    mutating func drawFooter(_ phone: DeviceState, in rect: Rect) {
        let unsent = phone.visibleOutbox.count
        var text = " \(phone.connection.rawValue)"
        if unsent > 0 { text += " \(glyphs.dot) \(unsent) unsent" }
        if let problem = phone.diskProblem {
            frame.grid.put(" ! \(problem)", x: rect.x, y: rect.y, CellStyle(bold: true, role: .error), limit: rect.width)
            return
        }
        let role: ColorRole = phone.connection == .live ? .good : .dim
        frame.grid.put(text, x: rect.x, y: rect.y, CellStyle(role: role), limit: rect.width)
    }
}

extension Canvas {
    /// Host and port, the part a narrow phone must not lose: no scheme, and "TLS" said after it for https.
    static func serverLabel(_ url: String) -> String {
        if url.hasPrefix("https://") { return String(url.dropFirst("https://".count)) + " TLS" }
        return url.hasPrefix("http://") ? String(url.dropFirst("http://".count)) : url
    }
}
