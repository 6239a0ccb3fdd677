import Foundation

/// Predicts the mark experts give each phone (2 correct, 1 accented, 0 wrong or missed; the mean of several
/// experts, so anything between) from what the aligner measured of it and around it: boosted trees
/// (`BoostedTrees`) over the phone's GOP, log posterior, margin, duration and posteriors against every model
/// phone, its neighbours', its word's and its answer's, how the same phone scores in the training answers, and
/// what the learners' frame classifier (`FrameClassifier`) says of it.
///
/// Trained by `pron-eval --phone-model-out` on speechocean762's five experts' phone marks (`words.jsonl`);
/// `PhoneMarkModel.standard` is that model, compiled in. docs/accuracy.md, "Phone marks".
public struct PhoneMarkModel: Sendable, Codable, Equatable {
  /// How one canonical phone scored in the training answers.
  public struct PhoneStats: Sendable, Codable, Equatable {
    /// The experts' mean mark over the training phones.
    public var meanMark: Double
    /// Mean and standard deviation of GOP, log posterior, margin and log duration ratio, in that order.
    public var means: [Double]
    public var deviations: [Double]
  }

  public var phones: [String: PhoneStats]
  /// The same over all training phones: for a phone absent from `phones`.
  public var overall: PhoneStats
  /// Entries of `PhoneScore.meanLogPosteriors` the model was trained with (the acoustic model's base phones).
  public var posteriorCount: Int
  /// Trained with `FrameClassifier`'s measures (`PhoneScore.learner`), which every phone it marks must then carry.
  public var learnerInputs: Bool
  public var trees: BoostedTrees

  /// Each phone's predicted mark, in 0...2; nil when a phone lacks the every-phone measures
  /// (`AlignerSettings.scoresEveryPhone`) or they come from another acoustic model, or lacks the frame
  /// classifier's measures the model was trained with.
  public func marks(for phones: [PhoneScore]) -> [Double]? {
    // A row of another width (a model trained with other inputs) gets no marks rather than a wrong one.
    guard let rows = features(of: phones), rows.allSatisfy({ $0.count == trees.featureCount }) else { return nil }
    return rows.map { min(2, max(0, trees.predict($0))) }
  }

  /// Trains on answers' phones, each with the experts' mean mark or nil where the experts' marks could not be
  /// matched to it (those phones still serve as context). Nil when no phone has a mark and every measure.
  public static func train(
    answers: [(phones: [PhoneScore], marks: [Double?])], settings: BoostedTrees.Settings = BoostedTrees.Settings()
  ) -> PhoneMarkModel? {
    let usable = answers.filter { answer in
      answer.phones.count == answer.marks.count && answer.phones.allSatisfy { $0.measuredEveryPhone }
    }
    guard let posteriorCount = usable.first?.phones.first?.meanLogPosteriors?.count else { return nil }
    // In the answers' order, so that the sums, and the model, are the same on every run.
    let all = usable.flatMap { answer in
      zip(answer.phones, answer.marks).compactMap { phone, mark in mark.map { (phone, $0) } }
    }
    guard !all.isEmpty else { return nil }
    var model = PhoneMarkModel(
      phones: Dictionary(grouping: all, by: \.0.phone).mapValues(PhoneStats.init), overall: PhoneStats(all),
      posteriorCount: posteriorCount, learnerInputs: all.allSatisfy { $0.0.measuredByLearnerModel },
      trees: BoostedTrees(featureCount: 0, depth: 0, base: 0, trees: []))
    var rows: [[Double]] = []
    var targets: [Double] = []
    for answer in usable {
      // Nil for an answer scored with another acoustic model (another posterior count).
      guard let answerRows = model.features(of: answer.phones) else { continue }
      for (row, mark) in zip(answerRows, answer.marks) {
        if let mark {
          rows.append(row)
          targets.append(mark)
        }
      }
    }
    guard !rows.isEmpty else { return nil }
    model.trees = BoostedTrees.train(rows: rows, targets: targets, settings: settings)
    return model
  }

  /// One row per phone: the phone, its neighbours, its word and its answer (see the type's summary).
  func features(of phones: [PhoneScore]) -> [[Double]]? {
    guard !phones.isEmpty,
      phones.allSatisfy({ $0.measuredEveryPhone && $0.meanLogPosteriors?.count == posteriorCount }),
      !learnerInputs || phones.allSatisfy(\.measuredByLearnerModel)
    else { return nil }
    let posterior = phones.map { $0.logPosterior ?? 0 }
    let margin = phones.map { $0.margin ?? 0 }
    let logDuration = phones.map { log(max($0.durationRatio, 1e-3)) }
    let answer = [
      PronunciationFeatures.mean(posterior), PronunciationFeatures.mean(margin.map { min($0, 0) }),
      PronunciationFeatures.mean(phones.map(\.normalisedGOP)),
      PronunciationFeatures.mean(logDuration.map { $0 * $0 }),
    ]
    let words = Dictionary(grouping: phones.indices, by: { phones[$0].wordIndex })
    let learner = phones.map { $0.learner?.logPosterior ?? 0 }
    let learnerMean = PronunciationFeatures.mean(learner)
    return phones.indices.map { i in
      let phone = phones[i]
      let previous = i > 0 ? i - 1 : i
      let next = i + 1 < phones.count ? i + 1 : i
      let word = words[phone.wordIndex] ?? [i]
      let stats = self.phones[phone.phone] ?? overall
      let measures = [phone.gop, posterior[i], margin[i], logDuration[i]]
      var row: [Double] = [
        phone.gop, phone.normalisedGOP, logDuration[i], posterior[i], margin[i], min(margin[i], 0),
        phone.likeliestPhone == phone.phone ? 0 : 1,
        phones[previous].gop, posterior[previous], margin[previous],
        phones[next].gop, posterior[next], margin[next],
        PronunciationFeatures.mean(word.map { posterior[$0] }), word.map { posterior[$0] }.min() ?? 0,
        PronunciationFeatures.mean(word.map { phones[$0].normalisedGOP }), word.map { margin[$0] }.min() ?? 0,
        Double(word.count), word.first == i ? 1 : 0, phone.isWordFinal ? 1 : 0, phone.isVowel ? 1 : 0,
      ]
      row += answer
      row += [stats.meanMark, mark(of: phones[previous].phone), mark(of: phones[next].phone)]
      row += zip(measures, zip(stats.means, stats.deviations)).map { ($0 - $1.0) / $1.1 }
      row += phone.meanLogPosteriors ?? []
      if learnerInputs {
        row += [
          learner[i], phone.learner?.margin ?? 0, learner[previous], learner[next],
          PronunciationFeatures.mean(word.map { learner[$0] }), word.map { learner[$0] }.min() ?? 0, learnerMean,
        ]
        row += [
          phone.learner?.lowestLogPosterior ?? 0, phone.learner?.silenceLogPosterior ?? 0,
          phone.learner?.neighbourLogPosterior ?? 0, phone.learner?.agreement ?? 0,
        ]
      }
      return row
    }
  }

  private func mark(of phone: String) -> Double { (phones[phone] ?? overall).meanMark }
}

extension PhoneMarkModel.PhoneStats {
  init(_ phones: [(PhoneScore, Double)]) {
    let measures = phones.map { phone, _ in
      [phone.gop, phone.logPosterior ?? 0, phone.margin ?? 0, log(max(phone.durationRatio, 1e-3))]
    }
    let count = Double(max(1, phones.count))
    meanMark = phones.reduce(0) { $0 + $1.1 } / count
    means = (0..<4).map { k in measures.reduce(0) { $0 + $1[k] } / count }
    deviations = (0..<4).map { [means] k in
      let variance = measures.reduce(0) { $0 + ($1[k] - means[k]) * ($1[k] - means[k]) } / count
      return max(variance.squareRoot(), 1e-3)
    }
  }
}

extension PronunciationResult {
  /// Sets each phone's predicted mark (`marks`: one per phone, in order), each word's mean of them and the
  /// answer's mark measures (`PronunciationFeatures.meanPhoneMark` …); nil, or a count that does not match the
  /// phones, clears them.
  public mutating func setPhoneMarks(_ marks: [Double]?) {
    let marks = marks?.count == phones.count ? marks : nil
    for index in phones.indices { phones[index].mark = marks?[index] }
    let byWord = Dictionary(grouping: phones.compactMap { phone in phone.mark.map { (phone.wordIndex, $0) } }, by: \.0)
    for index in words.indices {
      words[index].mark = byWord[index].map { PronunciationFeatures.mean($0.map(\.1)) }
    }
    features?.measureMarks(phones: phones, words: words)
  }
}

extension PhoneScore {
  /// Every-phone scoring measured it (`AlignerSettings.scoresEveryPhone`).
  var measuredEveryPhone: Bool { logPosterior != nil && margin != nil && meanLogPosteriors != nil }
  /// `FrameClassifier` measured it.
  var measuredByLearnerModel: Bool { learner != nil }
}
