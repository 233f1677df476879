/// Session props Mattermost derives from the User-Agent; blank when nothing is recognised.
enum UserAgent {
    static func props(_ userAgent: String?) -> [String: String] {
        let agent = userAgent ?? ""
        let (platform, os): (String, String) = {
            if agent.contains("iPhone") || agent.contains("iPad") || agent.contains("iOS") { return ("iPhone", "iOS") }
            if agent.contains("Android") { return ("Android", "Android") }
            if agent.contains("Macintosh") || agent.contains("Mac OS") { return ("Macintosh", "Mac OS") }
            if agent.contains("Windows") { return ("Windows", "Windows") }
            if agent.contains("Linux") { return ("Linux", "Linux") }
            return ("", "")
        }()
        let browser = agent.contains("Mattermost Mobile") || agent.contains("mmsim") ? "Mobile App" : ""
        return ["platform": platform, "os": os, "browser": browser]
    }
}
