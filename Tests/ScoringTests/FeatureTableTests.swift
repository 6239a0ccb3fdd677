import ExamCore
import Foundation
import Scoring
import Testing
import _ExamTestSupport

@Suite struct FeatureTableTests {
  @Test func batchTableReadsBackAsFeatures() throws {
    let text = FeatureTable.csv(
      ids: ["a", "b", "c"], features: [["duration_s": 2.5, "pause_count": 1], ["duration_s": 3], nil],
      featureKeys: ["duration_s", "pause_count"], aspects: ["fluency"], scores: [["fluency": 7.25], nil, nil],
      errors: [nil, nil, "c.flac: cannot be decoded"])
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    try text.write(toFile: dir.file("t.csv"), atomically: true, encoding: .utf8)
    let table = try FeatureTable.load(path: dir.file("t.csv"))
    #expect(table["a"] == ["duration_s": 2.5, "pause_count": 1])  // the aspect column is not a feature
    #expect(table["b"] == ["duration_s": 3])
    #expect(table["c"] == nil)  // failed rows are left out
  }

  @Test func referenceCoverageCapsCompletenessOfReadAloud() throws {
    let (samples, ratings) = syntheticSamples(count: 150, seed: 21)
    var scale = ratings.scaleMaximum
    scale["completeness"] = 1
    var r = ratings
    for (id, _) in r.ratings { r.ratings[id]?["completeness"] = [1, 1, 0.9] }
    r.aspects.append("completeness")
    r.scaleMaximum = scale
    let model = ModelCalibrator().fit(
      samples, targets: ModelEvaluator().targets(samples, r), scaleMaximum: scale,
      aspects: r.aspects, source: "synthetic", createdAt: "")
    let item = ItemDefinition(
      id: "R1", type: .readSentence, points: 2, referenceText: samples[0].text,
      rubric: Rubric(criteria: [.init(name: "completeness", points: 2)], tolerance: 0.5))
    var features = samples[0].features
    let full = AnswerScorer(model: model).score(item: item, features: features)
    features["ref_coverage"] = 0.5
    let half = AnswerScorer(model: model).score(item: item, features: features)
    #expect((half.aspects["completeness"] ?? 1) <= 0.5 + 1e-9)
    #expect(half.points < full.points)
    let open = ItemDefinition(id: "O1", type: .pictureTalk, points: 3)
    let outcome = AnswerScorer(model: model).score(item: open, features: samples[0].features)
    #expect(outcome.needsHuman && outcome.reason.contains("open answer"))
  }
}
