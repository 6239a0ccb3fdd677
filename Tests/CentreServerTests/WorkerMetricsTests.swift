import ExamCore
import Foundation
import Synchronization
import Testing

@testable import CentreServer

/// The scoring worker's Prometheus metrics (the end-to-end scrape is in ScoringTests' `aWorkerServesItsMetrics`).
@Suite struct WorkerMetricsTests {
  @Test func outcomesWritesAndStoreRetriesAreCounted() {
    let retries = Retries()
    let metrics = WorkerMetrics(worker: "host:1:2", retriesOfStore: { retries.value.withLock { $0 } })
    metrics.claimed(3)
    metrics.scored(score(1, points: 2, needsHuman: false), seconds: 0.3)
    metrics.scored(score(2, points: 1, needsHuman: true), seconds: 0.4)
    metrics.scored(score(3, points: nil, needsHuman: true), seconds: 0.01)
    metrics.written(added: 2, alreadyScored: 1)
    metrics.leasesInHand(0)
    retries.value.withLock { $0 = 5 }
    var text = metrics.text()
    #expect(text.contains(#"examkit_worker_jobs_claimed_total{worker="host:1:2"} 3"#), "\(text)")
    #expect(text.contains(#"examkit_worker_answers_scored_total{worker="host:1:2",outcome="confident"} 1"#))
    #expect(text.contains(#"examkit_worker_answers_scored_total{worker="host:1:2",outcome="to_humans"} 1"#))
    #expect(text.contains(#"examkit_worker_answers_scored_total{worker="host:1:2",outcome="unreadable"} 1"#))
    #expect(text.contains(#"examkit_worker_scores_already_stored_total{worker="host:1:2"} 1"#))
    #expect(text.contains(#"examkit_worker_answer_scoring_seconds_count{worker="host:1:2"} 3"#))
    #expect(text.contains(#"examkit_worker_store_retries_total{worker="host:1:2"} 5"#))
    retries.value.withLock { $0 = 7 }
    text = metrics.text()  // a counter: the store's running total, not added twice
    #expect(text.contains(#"examkit_worker_store_retries_total{worker="host:1:2"} 7"#), "\(text)")
  }

  func score(_ id: Int64, points: Double?, needsHuman: Bool) -> MachineScore {
    MachineScore(
      recordingId: id, examId: "E1", candidateId: "C\(id)", itemId: "I1", features: [:], aspects: [:], points: points,
      confidence: 0.9, needsHuman: needsHuman, reason: "", modelVersion: "m1", scoredAt: "2026-06-14T09:00:00Z")
  }
}

final class Retries: Sendable {
  let value = Mutex<Int>(0)
}
