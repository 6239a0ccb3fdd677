import Dispatch
import Foundation
import Synchronization
import Testing

@testable import CentreServer

/// `exam serve`'s blocking work (the desk's store work, the uploads' writes and fsyncs) runs on `StoreThreads`, not
/// on Swift's cooperative threads, behind a bounded queue.
@Suite struct StoreThreadsTests {
  /// Counts jobs that started, and holds them until released (as SQLite holds a thread waiting for the writer).
  final class Gate: Sendable {
    let started = Atomic<Int>(0)
    let semaphore = DispatchSemaphore(value: 0)

    func block() {
      started.wrappingAdd(1, ordering: .relaxed)
      semaphore.wait()
    }

    func waitUntilStarted(_ count: Int) async throws {
      while started.load(ordering: .relaxed) < count { try await Task.sleep(for: .milliseconds(5)) }
    }

    func release(_ count: Int) { for _ in 0..<count { semaphore.signal() } }
  }

  /// With more blocked store jobs than the machine has cores, other tasks still run.
  @Test(.timeLimit(.minutes(1)))
  func blockedStoreJobsLeaveTheCooperativeThreadsFree() async throws {
    let jobs = ProcessInfo.processInfo.activeProcessorCount + 5  // a pool of its own (the desk's default is 4)
    let store = StoreThreads(threads: jobs, maximumQueued: 100) { _ in TusError(.serviceUnavailable, "busy") }
    let gate = Gate()
    let blocked = Task {
      try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<jobs { group.addTask { try await store.run { gate.block() } } }
        try await group.waitForAll()
      }
    }
    try await gate.waitUntilStarted(jobs)
    // Every store thread is blocked; cooperative work goes on.
    let answer = await Task.detached { (1...10).reduce(0, +) }.value
    #expect(answer == 55)
    gate.release(jobs)
    try await blocked.value
  }

  @Test(.timeLimit(.minutes(1)))
  func jobsBeyondTheQueueBoundAreRefusedWithBusy() async throws {
    let store = StoreThreads(threads: 1, maximumQueued: 1) { TusError(.serviceUnavailable, "\($0) waiting") }
    let gate = Gate()
    let first = Task {
      try await store.run {
        gate.block()
        return 1
      }
    }
    try await gate.waitUntilStarted(1)
    let refusal = await #expect(throws: TusError.self) { try await store.run { 2 } }
    #expect(refusal == TusError(.serviceUnavailable, "1 waiting"))
    gate.release(1)
    #expect(try await first.value == 1)
    #expect(try await store.run { 3 } == 3)
  }
}
