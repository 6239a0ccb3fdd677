import Synchronization

/// A flag a signal handler sets and a worker loop reads (the queue workers of scoring and ingest).
public final class StopFlag: Sendable {
  private let value = Atomic<Bool>(false)
  public init() {}
  public func set() { value.store(true, ordering: .sequentiallyConsistent) }
  public var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }
}
