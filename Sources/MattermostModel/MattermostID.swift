/// Mattermost ids: 16 random bytes in base32 with Mattermost's own alphabet, 26 lowercase characters.
public enum MattermostID {
    static let alphabet = Array("ybndrfg8ejkmcpqxot1uwisza345h769")

    public static func new() -> String {
        var generator = SystemRandomNumberGenerator()
        return new(using: &generator)
    }

    public static func new<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return encode(bytes)
    }

    /// Base32 without padding; 16 bytes give exactly 26 characters.
    static func encode(_ bytes: [UInt8]) -> String {
        var result = ""
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                result.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { result.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return result
    }

    public static func isValid(_ id: String) -> Bool {
        id.count == 26 && id.allSatisfy { alphabet.contains($0) }
    }
}
