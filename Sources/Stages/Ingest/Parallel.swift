import Dispatch
import Foundation

/// Runs independent pieces of work on every core and returns their results in order.
enum Parallel {
    /// Runs `work` on every item, on every core, and waits for all.
    static func map<T: Sendable, R: Sendable>(_ items: [T], _ work: @Sendable (T) throws -> R) -> [Result<R, Error>] {
        let results = ResultSlots<R>(count: items.count)
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            results.set(index, Result { try work(items[index]) })
        }
        return results.values
    }

    /// Starts `work` on every item in the background and returns at once; `wait()` gives the results.
    static func start<T: Sendable, R: Sendable>(_ items: [T], _ work: @escaping @Sendable (T) throws -> R)
        -> Pending<R>
    {
        let pending = Pending<R>()
        pending.group.enter()
        DispatchQueue.global().async {
            pending.results = map(items, work)
            pending.group.leave()
        }
        return pending
    }

    /// Results that are still being computed.
    final class Pending<R: Sendable>: @unchecked Sendable {
        fileprivate let group = DispatchGroup()
        fileprivate var results: [Result<R, Error>] = []

        /// Waits for every result.
        func wait() -> [Result<R, Error>] {
            group.wait()
            return results
        }
    }

    /// Slots written by concurrent workers, each slot by one worker.
    private final class ResultSlots<R: Sendable>: @unchecked Sendable {
        private var slots: [Result<R, Error>?]
        private let lock = NSLock()

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        func set(_ index: Int, _ value: Result<R, Error>) { lock.withLock { slots[index] = value } }

        var values: [Result<R, Error>] { lock.withLock { slots.map { $0! } } }
    }
}
