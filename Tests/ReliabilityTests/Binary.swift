@_exported import MMSimTestSupport

/// The built binary, as the reliability tests call it.
typealias Binary = BuiltBinary
