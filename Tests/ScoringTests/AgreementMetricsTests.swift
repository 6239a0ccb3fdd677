import Scoring
import Testing
import _ExamTestSupport

@Suite struct AgreementMetricsTests {
  @Test func pearsonOfLinearRelationsIsOneOrMinusOne() {
    let x = [1.0, 2, 3, 4, 5]
    #expect(abs(AgreementMetrics.pearson(x, x.map { 3 * $0 + 1 }) - 1) < 1e-12)
    #expect(abs(AgreementMetrics.pearson(x, x.map { -$0 }) + 1) < 1e-12)
    #expect(AgreementMetrics.pearson(x, [2, 2, 2, 2, 2]) == 0)
  }

  @Test func pearsonMatchesAHandComputedValue() {
    // x = 1,2,3,4 ; y = 2,1,4,3 → sxy = 3, sxx = syy = 5 → r = 0.6
    #expect(abs(AgreementMetrics.pearson([1, 2, 3, 4], [2, 1, 4, 3]) - 0.6) < 1e-12)
  }

  @Test func quadraticKappaIsOneForIdenticalAndNegativeForReversed() {
    let a = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    #expect(abs(AgreementMetrics.quadraticWeightedKappa(a, a, categories: 11) - 1) < 1e-12)
    #expect(AgreementMetrics.quadraticWeightedKappa(a, a.reversed(), categories: 11) < -0.9)
  }

  @Test func quadraticKappaMatchesAHandComputedValue() {
    // 2 categories: a = [0,0,1,1], b = [0,1,1,1]: O = [[1,1],[0,2]], rows (2,2), columns (1,3), n = 4.
    // Σw·O = 1 (the off-diagonal 0→1); Σw·E = (2·3 + 2·1)/4 = 2 → κ = 1 − 1/2 = 0.5
    #expect(abs(AgreementMetrics.quadraticWeightedKappa([0, 0, 1, 1], [0, 1, 1, 1], categories: 2) - 0.5) < 1e-12)
  }

  @Test func exactAndAdjacentAgreementCountRoundedScores() {
    let a = AgreementMetrics.agreement([5.2, 6.6, 9.0, 2.0], [5, 6, 7, 2])
    #expect(a.exact == 0.5)  // 5=5, 7≠6, 9≠7, 2=2
    #expect(a.adjacent == 0.75)
    let scaled = AgreementMetrics.agreement([0.5, 1.0], [0.5, 0.9], scaleMaximum: 1)
    #expect(scaled.exact == 0.5 && scaled.adjacent == 1)
  }

  @Test func oneVersusRestMeanAveragesOverRaters() {
    var rng = SplitMix64(seed: 7)
    // Three raters who see the same true score plus independent noise agree, but not perfectly.
    let ratings: [[Double?]] = (0..<300).map { _ in
      let truth = Double.random(in: 2...9, using: &rng)
      return (0..<3).map { _ in truth + Double.random(in: -1...1, using: &rng) }
    }
    let h = AgreementMetrics.oneVersusRestMean(ratings)
    #expect(h != nil)
    #expect((h?.pearson ?? 0) > 0.8 && (h?.pearson ?? 1) < 0.99)
    #expect(AgreementMetrics.oneVersusRestMean([[5], [6]]) == nil)
  }
}
