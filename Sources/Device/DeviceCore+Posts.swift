import MattermostModel

/// Channels, posts and unsent messages.
extension Reducer {
    mutating func openChannel(_ id: String) {
        guard state.isLoggedIn, state.channels.contains(where: { $0.id == id }) else { return }
        state.screen = .channel(id)
        guard rules.fetchesOnOpenChannel else { return }
        if state.airplane {
            log(.decision, "channel opened offline → its fetch fails quietly, no logout")
            return
        }
        log(.decision, "channel opened → fetch its posts and mark it viewed (channel.ts switchToChannelById)")
        state.syncQueue.insert(contentsOf: [.posts(channelID: id), .viewChannel(id)], at: 0)
        pump()
    }

    mutating func compose(channelID: String, text: String, pendingPostID: String) {
        guard state.isLoggedIn, let account = state.account, !text.isEmpty else { return }
        let item = OutboxItem(pendingPostID: pendingPostID, channelID: channelID, message: text,
                              authorID: account.id, createAt: now, state: .pending)
        state.outbox.append(item)
        effects.append(.save(.outboxPut(item)))
        switch rules.unsent {
        case .outbox:
            log(.user, "message composed (\(text.count) chars), saved to the outbox")
            if state.connection == .live { enqueueFlush() }
        case .failedWithManualRetry:
            log(.user, "message composed (\(text.count) chars)")
            if state.connection == .live, !state.airplane {
                enqueueFlush()
            } else {
                postNotSent(item, why: "not connected")
            }
        }
    }

    /// A message that did not reach the server: back to the outbox (reference), or marked failed until the user
    /// taps "Try Again" (the real app: post.ts `createPost` sets `props.failed`, nothing retries by itself).
    mutating func postNotSent(_ item: OutboxItem, why: String) {
        switch rules.unsent {
        case .outbox:
            setOutboxState(item.pendingPostID, .pending)
        case .failedWithManualRetry:
            setOutboxState(item.pendingPostID, .failed)
            log(.decision, "message not sent (\(why)) → marked failed; only Try Again resends it")
        }
    }

    mutating func retryPost(_ pendingPostID: String) {
        guard let item = state.visibleOutbox.first(where: { $0.pendingPostID == pendingPostID }),
              item.state == .failed else { return }
        log(.user, "Try Again on a failed message")
        setOutboxState(pendingPostID, .pending)
        if state.airplane {
            postNotSent(item, why: "no network")
        } else {
            enqueueFlush()
        }
    }

    /// Adds posts the server confirmed; an outbox item the server already has is delivered, not resent.
    mutating func merge(_ incoming: [Post]) {
        guard !incoming.isEmpty else { return }
        var changed: [Post] = []
        for post in incoming where state.channels.contains(where: { $0.id == post.channelID }) {
            var list = state.posts[post.channelID] ?? []
            if let index = list.firstIndex(where: { $0.id == post.id }) { list[index] = post } else { list.append(post) }
            list.sort { $0.createAt < $1.createAt }
            state.posts[post.channelID] = list
            changed.append(post)
            if !post.pendingPostID.isEmpty, post.userID == state.account?.id,
               let item = state.outbox.first(where: { $0.pendingPostID == post.pendingPostID }), item.state != .sending {
                log(.decision, "the server already has an outbox message → delivered, not resent")
                removeFromOutbox(item.pendingPostID)
            }
        }
        if !changed.isEmpty { effects.append(.save(.posts(changed))) }
    }

    mutating func removeFromOutbox(_ pendingPostID: String) {
        guard state.outbox.contains(where: { $0.pendingPostID == pendingPostID }) else { return }
        state.outbox.removeAll { $0.pendingPostID == pendingPostID }
        effects.append(.save(.outboxRemove(pendingPostID: pendingPostID)))
    }

    mutating func setOutboxState(_ pendingPostID: String, _ newState: OutboxItem.State) {
        guard let index = state.outbox.firstIndex(where: { $0.pendingPostID == pendingPostID }) else { return }
        state.outbox[index].state = newState
        effects.append(.save(.outboxPut(state.outbox[index])))
    }
}
