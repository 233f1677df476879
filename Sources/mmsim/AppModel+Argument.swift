import ArgumentParser
import Device

/// `--app reference|mattermost-mobile`: a wrong value is a usage error (exit 2) listing both.
extension AppModel: ExpressibleByArgument {}

/// The help text every command shows for `--app`.
enum AppOption {
    static let help = ArgumentHelp(
        "The app every phone runs: reference (mmsim's client: revalidates on reconnect) or mattermost-mobile (the real "
            + "app's rules, read from its source). A scenario device's `app:` wins.", valueName: "model")
}
