import Dispatch
import Foundation

/// Runs independent pieces of work on every core and returns their results in order.
public enum Parallel {
    /// Runs `work` on every item, on every core, and waits for all.
    public static func map<T: Sendable, R: Sendable>(_ items: [T], _ work: @Sendable (T) throws -> R) -> [Result<
        R, Error
    >] {
        let results = ResultSlots<R>(count: items.count)
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            results.set(index, Result { try work(items[index]) })
        }
        return results.values
    }

    /// Starts `work` on every item in the background and returns at once; `wait()` gives the results.
    public static func start<T: Sendable, R: Sendable>(_ items: [T], _ work: @escaping @Sendable (T) throws -> R)
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

    /// Runs `work` on the items `0..<count` on `threads` threads of their own, at most `window` items
    /// ahead of `consume`, which gets each result in order on the calling thread. Memory is bounded by
    /// the window; nested inside ``map(_:_:)`` it still gets threads (Dispatch may not).
    ///
    /// When `consume` throws, the threads finish the items they hold and the error is rethrown.
    public static func stream<R: Sendable>(
        count: Int, threads: Int, window: Int, _ work: @escaping @Sendable (Int) -> R,
        consume: (Int, R) throws -> Void
    ) throws {
        let slots = StreamSlots<R>(window: max(1, window))
        let done = DispatchGroup()
        for _ in 0..<max(1, min(threads, count)) {
            done.enter()
            let thread = Thread {
                while let index = slots.take(below: count) { slots.put(index, work(index)) }
                done.leave()
            }
            thread.start()
        }
        defer {
            slots.cancel()
            done.wait()
        }
        for index in 0..<count { try consume(index, slots.result(index)) }
    }

    /// The hand-over between ``stream(count:threads:window:_:consume:)``'s threads and its consumer.
    private final class StreamSlots<R: Sendable>: @unchecked Sendable {
        private let condition = NSCondition()
        private let window: Int
        private var next = 0
        private var consumed = 0
        private var cancelled = false
        private var results: [Int: R] = [:]

        init(window: Int) { self.window = window }

        /// The next item to work on, waiting while the window is full; nil when all are taken.
        func take(below count: Int) -> Int? {
            condition.lock()
            defer { condition.unlock() }
            while !cancelled, next < count, next >= consumed + window { condition.wait() }
            guard !cancelled, next < count else { return nil }
            next += 1
            return next - 1
        }

        func put(_ index: Int, _ result: R) {
            condition.lock()
            results[index] = result
            condition.broadcast()
            condition.unlock()
        }

        /// Waits for item `index`'s result and frees its place in the window.
        func result(_ index: Int) -> R {
            condition.lock()
            defer { condition.unlock() }
            while results[index] == nil { condition.wait() }
            consumed = index + 1
            condition.broadcast()
            return results.removeValue(forKey: index)!
        }

        /// Lets the threads stop after the items they hold.
        func cancel() {
            condition.lock()
            cancelled = true
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Results that are still being computed.
    public final class Pending<R: Sendable>: @unchecked Sendable {
        fileprivate let group = DispatchGroup()
        fileprivate var results: [Result<R, Error>] = []

        /// Waits for every result.
        public func wait() -> [Result<R, Error>] {
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
