import ExamCore
import Foundation
import Pronunciation

/// `PhoneMarkModel` against the experts: speaker-disjoint cross-validation over the phones `EvalReport` matched to
/// the experts' marks, and the model trained on all of them (`--phone-model-out`).
struct PhoneMarkEval {
  let report: EvalReport
  var settings = BoostedTrees.Settings()
  /// Folds for the second stage's cross-fitted first-stage marks (`PhoneMarkModel.context`); 0: no second stage.
  var contextFolds = 0
  /// Every answer whose phones all carry the every-phone measures, with the experts' mean mark where matched.
  let answers: [(utterance: Int, phones: [PhoneScore], marks: [Double?])]

  init(report: EvalReport) {
    self.report = report
    answers = Self.markedAnswers(report)
  }

  static func markedAnswers(_ report: EvalReport) -> [(utterance: Int, phones: [PhoneScore], marks: [Double?])] {
    var marks: [Int: [Double?]] = [:]
    for (index, item) in report.scored.enumerated() { marks[index] = item.result.phones.map { _ in nil } }
    for row in report.phones { marks[row.utterance]?[row.phoneIndex] = row.label.meanMark }
    return report.scored.indices.compactMap { index in
      let phones = report.scored[index].result.phones
      guard !phones.isEmpty, phones.allSatisfy({ $0.meanLogPosteriors != nil }) else { return nil }
      return (index, phones, marks[index] ?? [])
    }
  }

  /// Each answer's speaker as a number: the groups the second stage's folds keep together.
  static func groups(_ speakers: [String]) -> [Int] {
    let numbers = Dictionary(uniqueKeysWithValues: Set(speakers).sorted().enumerated().map { ($1, $0) })
    return speakers.map { numbers[$0]! }
  }

  /// A model trained on the answers at `selected` (indices into `answers`), the second stage's folds keeping each
  /// speaker together (`groups`: per answer).
  private func train(_ selected: [Int], groups: [Int]) -> PhoneMarkModel? {
    PhoneMarkModel.train(
      answers: selected.map { (answers[$0].phones, answers[$0].marks) }, settings: settings,
      contextFolds: contextFolds, groups: selected.map { groups[$0] })
  }

  /// Seconds the last `crossValidated()` took to train one fold.
  private(set) var foldSeconds = 0.0
  /// The last `crossValidated()`'s model of each fold, by fold.
  private(set) var foldModels: [Int: PhoneMarkModel] = [:]

  /// Show each phone the mean of the marks of models trained on the other folds, as the product shows a new
  /// speaker the mean of its five folds' marks (`CrossFittedModels.meanMarks`).
  var bagsShownMarks = true

  /// Out-of-fold predicted marks, by answer index and phone index (5 speaker-disjoint folds). The evidence (the
  /// answer's inputs) is the fold's model's, as the product's standard model gives a new speaker; with
  /// `bagsShownMarks`, the marks shown are the mean over the four models trained without the fold and one other —
  /// the product's bag of five, each trained without one fold, made one fold smaller.
  mutating func crossValidated() -> [Int: PhoneMarkModel.StagedMarks] {
    let started = Date()
    let answers = self.answers
    let speakers = answers.map { report.utterances[$0.utterance].speaker }
    let folds = Statistics.speakerFolds(speakers, folds: 5)
    let groups = Self.groups(speakers)
    var predicted: [Int: PhoneMarkModel.StagedMarks] = [:]
    for fold in 0..<5 {
      guard let model = train(answers.indices.filter { folds[speakers[$0]] != fold }, groups: groups) else { continue }
      foldModels[fold] = model
      for (answer, speaker) in zip(answers, speakers) where folds[speaker] == fold {
        predicted[answer.utterance] = model.stagedMarks(for: answer.phones)
      }
    }
    foldSeconds = Date().timeIntervalSince(started) / 5
    guard bagsShownMarks else { return predicted }
    var sums: [Int: (marks: [Double], count: Int)] = [:]
    for outer in 0..<5 {
      for inner in 0..<5 where inner != outer {
        let selected = answers.indices.filter { ![outer, inner].contains(folds[speakers[$0]]) }
        guard let model = train(selected, groups: groups) else { continue }
        for (answer, speaker) in zip(answers, speakers) where folds[speaker] == outer {
          guard let marks = model.marks(for: answer.phones) else { continue }
          var sum = sums[answer.utterance] ?? (Array(repeating: 0, count: marks.count), 0)
          for index in marks.indices { sum.marks[index] += marks[index] }
          sum.count += 1
          sums[answer.utterance] = sum
        }
      }
    }
    for (utterance, sum) in sums where sum.count == 4 && predicted[utterance]?.marks.count == sum.marks.count {
      predicted[utterance]?.marks = sum.marks.map { $0 / 4 }
    }
    return predicted
  }

  func markdown(_ staged: [Int: PhoneMarkModel.StagedMarks], seconds: Double) -> [String] {
    let predicted = staged.mapValues(\.marks)
    let rows = report.phones.filter { predicted[$0.utterance] != nil }
    let scores = rows.map { predicted[$0.utterance]![$0.phoneIndex] }
    var wordPairs: [(Double, Double)] = []
    for (index, (utterance, item)) in zip(report.utterances, report.scored).enumerated() {
      guard let marks = predicted[index], item.result.words.count == utterance.words.count else { continue }
      var offset = 0
      for (word, expert) in zip(item.result.words, utterance.words) {
        let wordMarks = marks[offset..<offset + word.phones.count]
        offset += word.phones.count
        wordPairs.append((wordMarks.reduce(0, +) / Double(max(1, wordMarks.count)), expert.meanAccuracy))
      }
    }
    // What the marks cost at run time: the standard model over every answer's phones, one core.
    let clock = ContinuousClock()
    var predictedPhones = 0
    let predictionTime = clock.measure {
      for answer in answers { predictedPhones += PhoneMarkModel.standard?.marks(for: answer.phones)?.count ?? 0 }
    }
    let predictionSeconds = predictionTime.inSeconds
    let bagTime = clock.measure {
      for answer in answers { _ = CrossFittedModels.standard?.meanMarks(for: answer.phones) }
    }
    return [
      String(
        format:
          "| phone marks: boosted trees over the phone, its neighbours, word and answer (%d trees of depth %d; speaker-disjoint 5-fold CV, %.1f s a fold) | %.3f | %.3f |",
        settings.trees, settings.depth, seconds, Statistics.pearson(scores, rows.map(\.label.meanMark)),
        Statistics.auc(scores.map { -$0 }, positive: rows.map(\.label.majorityWrong))),
      "",
      String(
        format:
          "word level (%d words): PCC of the word's mean predicted phone mark (same CV) with experts' mean word accuracy %.3f",
        wordPairs.count, Statistics.pearson(wordPairs.map(\.0), wordPairs.map(\.1))),
      String(
        format:
          "predicting the standard model's marks for %d phones of %d answers: %.3f s on one core; the five folds' mean marks (shown to new speakers): %.3f s",
        predictedPhones, answers.count, predictionSeconds, bagTime.inSeconds),
    ]
  }

  /// The model trained on every matched phone, as the generated Swift source of `PhoneMarkModel.standard`.
  func standardSource() throws -> String {
    let groups = Self.groups(answers.map { report.utterances[$0.utterance].speaker })
    guard let model = train(Array(answers.indices), groups: groups) else {
      throw CorpusError(
        "no phone with both the every-phone measures and the experts' marks: run with --every-phone yes")
    }
    return try GeneratedModel.source(
      model, option: "--phone-model-out",
      summary: "The model trained on all of speechocean762's phones the experts' marks could be matched to.")
  }
}
