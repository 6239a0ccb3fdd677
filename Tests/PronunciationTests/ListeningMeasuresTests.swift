import Foundation
import Testing

@testable import Pronunciation

/// What the encoder's classifier hears without a text, on log posteriors made here.
@Suite struct ListeningMeasuresTests {
  let classes = ["AA", "B", "SIL"]

  /// One frame's log posteriors from probabilities.
  func frame(_ p: [Double]) -> [Float] { p.map { Float(log($0)) } }

  @Test func measuresTheSpeechFramesOnly() throws {
    let frames =
      frame([0.1, 0.1, 0.8])  // silence
      + frame([0.9, 0.05, 0.05])  // AA, clear
      + frame([0.6, 0.3, 0.1])  // AA, less clear
      + frame([0.2, 0.7, 0.1])  // B
    let heard = try #require(ListeningMeasures.measure(logPosteriors: frames, classes: classes, frameSeconds: 0.024))
    #expect(heard.speechShare == 0.75)
    #expect(abs(heard.clarityMean - (log(0.9) + log(0.6) + log(0.7)) / 3) < 1e-6)
    #expect(abs(heard.clarityP10 - log(0.6)) < 0.05)
    func entropy(_ p: [Double]) -> Double { -p.reduce(0) { $0 + $1 * log($1) } }
    let expected = (entropy([0.9, 0.05, 0.05]) + entropy([0.6, 0.3, 0.1]) + entropy([0.2, 0.7, 0.1])) / 3
    #expect(abs(heard.entropyMean - expected) < 1e-5)
    #expect(abs(heard.changesPerSecond - 1 / (3 * 0.024)) < 1e-6, "AA, AA, B: one change in three frames")
    #expect(Set(heard.namedValues.keys) == Set(ListeningMeasures.numericKeys))
  }

  @Test func needsFramesAndASilenceClass() {
    #expect(ListeningMeasures.measure(logPosteriors: [], classes: classes, frameSeconds: 0.024) == nil)
    #expect(
      ListeningMeasures.measure(logPosteriors: frame([0.5, 0.5]), classes: ["AA", "B"], frameSeconds: 0.024) == nil)
    let silent = ListeningMeasures.measure(
      logPosteriors: frame([0.1, 0.1, 0.8]), classes: classes, frameSeconds: 0.024)
    #expect(silent?.speechShare == 0 && silent?.changesPerSecond == 0)
  }
}
