/// Every non-ASCII character the UI draws, with its ASCII stand-in for a non-UTF-8 locale.
public struct Glyphs: Sendable {
    public var topLeft, topRight, bottomLeft, bottomRight, horizontal, vertical: Character
    public var roundTopLeft, roundTopRight, roundBottomLeft, roundBottomRight: Character
    public var airplane: String
    public var power: String
    public var pending: String
    public var failed: String
    public var bullet: Character
    public var selector: String
    public var back: String
    public var breadcrumb: String
    public var dot: String
    public var ellipsis: String

    public static let unicode = Glyphs(
        topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘", horizontal: "─", vertical: "│",
        roundTopLeft: "╭", roundTopRight: "╮", roundBottomLeft: "╰", roundBottomRight: "╯",
        airplane: "✈ Airplane", power: "⏻", pending: "◷ pending", failed: "! failed", bullet: "•",
        selector: "›", back: "‹", breadcrumb: "›", dot: "·", ellipsis: "…")

    public static let ascii = Glyphs(
        topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+", horizontal: "-", vertical: "|",
        roundTopLeft: "+", roundTopRight: "+", roundBottomLeft: "+", roundBottomRight: "+",
        airplane: "AIRPLANE", power: "PWR", pending: "(pending)", failed: "! failed", bullet: "*",
        selector: ">", back: "<", breadcrumb: ">", dot: "-", ellipsis: "~")
}
