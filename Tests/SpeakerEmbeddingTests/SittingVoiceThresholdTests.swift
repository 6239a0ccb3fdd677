import ExamCore
import Foundation
import Testing

@testable import SpeakerEmbedding

/// The sitting's voice-change threshold: a normal model of the candidates' lowest scores, robust to impostors.
@Suite struct SittingVoiceThresholdTests {
  @Test func normalQuantilesAreTheTabledOnes() {
    #expect(abs(SittingVoiceThreshold.normalQuantile(0.5)) < 1e-8)
    #expect(abs(SittingVoiceThreshold.normalQuantile(0.01) + 2.326348) < 1e-5)
    #expect(abs(SittingVoiceThreshold.normalQuantile(0.025) + 1.959964) < 1e-5)
    #expect(abs(SittingVoiceThreshold.normalQuantile(0.975) - 1.959964) < 1e-5)
  }

  @Test func theThresholdIsTheRatesQuantileOfTheSittingsScores() throws {
    // 1,000 genuine candidates' lowest scores, normal with mean 4 and SD 1 (seeded), and 30 impostors far below.
    var rng = SplitMix64(seed: 3)
    let genuine = (0..<1000).map { _ in 4 + normal(&rng) }
    let impostors = (0..<30).map { _ in -3 + normal(&rng) }
    let t = try #require(SittingVoiceThreshold(lowestScores: genuine + impostors, falseAlarmRate: 0.01))
    #expect(abs(t.median - 4) < 0.15 && abs(t.spread - 1) < 0.15, "\(t)")
    let flagged = Double(genuine.filter { $0 < t.threshold }.count) / Double(genuine.count)
    #expect(flagged > 0.002 && flagged < 0.03, "flagged \(flagged) at \(t.threshold)")
    #expect(impostors.allSatisfy { $0 < t.threshold })
    // Another sitting whose genuine scores sit lower and wider gets its own threshold, and flags about as many.
    func shifted(_ x: Double) -> Double { 3 + 1.5 * (x - 4) }
    let u = try #require(
      SittingVoiceThreshold(lowestScores: (genuine + impostors).map(shifted), falseAlarmRate: 0.01))
    #expect(u.threshold < t.threshold - 1)
    #expect(genuine.map(shifted).filter { $0 < u.threshold }.count == genuine.filter { $0 < t.threshold }.count)
  }

  @Test func tooFewCandidatesOrABadRateGiveNoThreshold() {
    let scores = (0..<29).map { Double($0) / 10 }
    #expect(SittingVoiceThreshold(lowestScores: scores, falseAlarmRate: 0.01) == nil)
    #expect(SittingVoiceThreshold(lowestScores: scores + [.infinity], falseAlarmRate: 0.01) == nil)
    #expect(SittingVoiceThreshold(lowestScores: scores + [1], falseAlarmRate: 0.01) != nil)
    #expect(SittingVoiceThreshold(lowestScores: scores + [1], falseAlarmRate: 0) == nil)
    #expect(SittingVoiceThreshold(lowestScores: scores + [1], falseAlarmRate: 0.5) == nil)
  }

  /// A standard normal draw (Box–Muller).
  func normal(_ rng: inout SplitMix64) -> Double {
    let u = Double.random(in: Double.ulpOfOne..<1, using: &rng)
    let v = Double.random(in: 0..<1, using: &rng)
    return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
  }
}
