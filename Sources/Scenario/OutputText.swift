import TerminalUI

extension Scrubber {
    /// Secrets replaced, control characters shown: every text field of every output goes through this.
    public func clean(_ text: String) -> String { OutputText.escape(scrub(text)) }
}

extension ScenarioResult {
    /// Every text field cleaned: the scenario's own name, file and tags can carry a `${SECRET}` or an escape.
    func cleaned(_ scrubber: Scrubber) -> ScenarioResult {
        var out = self
        out.file = scrubber.clean(file)
        out.name = scrubber.clean(name)
        out.tags = tags.map(scrubber.clean)
        out.steps = steps.map { step in
            var step = step
            step.summary = scrubber.clean(step.summary)
            step.location.file = scrubber.clean(step.location.file)
            return step
        }
        out.failure = failure.map { failure in
            var failure = failure
            failure.step = scrubber.clean(failure.step)
            failure.location.file = scrubber.clean(failure.location.file)
            failure.expected = scrubber.clean(failure.expected)
            failure.actual = scrubber.clean(failure.actual)
            failure.device = failure.device.map(scrubber.clean)
            failure.screen = failure.screen.map(scrubber.clean)
            failure.timeline = failure.timeline.map(scrubber.clean)
            return failure
        }
        out.outputErrors = outputErrors.map(scrubber.clean)
        return out
    }
}
