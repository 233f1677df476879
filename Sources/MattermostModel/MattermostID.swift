/// Mattermost ids: 16 random bytes in base32 with Mattermost's own alphabet, 26 lowercase characters.
public enum MattermostID {
    static let alphabet = Array("ybndrfg8ejkmcpqxot1uwisza345h769")
    static let alphabetBytes = Array("ybndrfg8ejkmcpqxot1uwisza345h769".utf8)

    /// Two 64-bit draws rather than sixteen 8-bit ones: each draw is a getrandom(2) call, and the server makes
    /// an id per request (X-Request-Id), where sixteen calls were a tenth of its CPU.
    public static func new() -> String {
        var generator = SystemRandomNumberGenerator()
        let draws = (generator.next(), generator.next())
        return encode(withUnsafeBytes(of: draws) { Array($0) })
    }

    public static func new<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return encode(bytes)
    }

    /// Base32 without padding; 16 bytes give exactly 26 characters.
    /// Built as bytes, not Characters: the server encodes one id per request.
    static func encode(_ bytes: [UInt8]) -> String {
        var result = [UInt8]()
        result.reserveCapacity((bytes.count * 8 + 4) / 5)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                result.append(alphabetBytes[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { result.append(alphabetBytes[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return String(decoding: result, as: UTF8.self)
    }

    public static func isValid(_ id: String) -> Bool {
        id.count == 26 && id.allSatisfy { alphabet.contains($0) }
    }
}
