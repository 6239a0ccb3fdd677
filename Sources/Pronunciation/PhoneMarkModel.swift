import Foundation

/// Predicts the mark experts give each phone (2 correct, 1 accented, 0 wrong or missed; the mean of several
/// experts, so anything between) from what the aligner measured of it and around it: boosted trees
/// (`BoostedTrees`) over the phone's GOP, log posterior, margin, duration and posteriors against every model
/// phone, its neighbours', its word's and its answer's, how the same phone scores in the training answers, and
/// what the learners' frame classifier (`FrameClassifier`) and the speech encoder's phone classifier say of it.
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
  /// Trained with the speech encoder's phone classifier's measures (`PhoneScore.encoder`), which every phone it
  /// marks must then carry.
  public var encoderInputs: Bool
  public var trees: BoostedTrees
  /// The second stage: trees over the same inputs plus the first stage's marks of the phone, its neighbours, its
  /// word and its answer (experts mark in context: a word heard wrong tends to lose several phones). Nil: the
  /// first stage's marks are the marks.
  public var context: BoostedTrees?

  /// Each phone's predicted mark, in 0...2; nil when a phone lacks the every-phone measures
  /// (`AlignerSettings.scoresEveryPhone`) or they come from another acoustic model, or lacks the frame
  /// classifier's measures the model was trained with.
  public func marks(for phones: [PhoneScore]) -> [Double]? { stagedMarks(for: phones)?.marks }

  /// The first stage's marks alone (`StagedMarks.evidence`), without the second stage's work; nil as for
  /// `marks(for:)`.
  public func evidence(for phones: [PhoneScore]) -> [Double]? { firstStage(phones)?.marks }

  /// Each phone's input row and first-stage mark; nil as for `marks(for:)`.
  private func firstStage(_ phones: [PhoneScore]) -> (rows: [[Double]], marks: [Double])? {
    // A row of another width (a model trained with other inputs) gets no marks rather than a wrong one.
    guard let rows = features(of: phones), rows.allSatisfy({ $0.count == trees.featureCount }) else { return nil }
    return (rows, rows.map { min(2, max(0, trees.predict($0))) })
  }

  /// Both stages' marks of each phone (the same twice without a second stage); nil as for `marks(for:)`.
  public func stagedMarks(for phones: [PhoneScore]) -> StagedMarks? {
    guard let (rows, first) = firstStage(phones) else { return nil }
    guard let context else { return StagedMarks(evidence: first, marks: first) }
    let contextRows = Self.withContext(rows, marks: first, phones: phones)
    guard contextRows.allSatisfy({ $0.count == context.featureCount }) else { return nil }
    return StagedMarks(evidence: first, marks: contextRows.map { min(2, max(0, context.predict($0))) })
  }

  /// A phone-mark model's two readings of an answer's phones, one per phone in order.
  public struct StagedMarks: Sendable, Equatable {
    /// The first stage: each phone from its own evidence and its neighbours'. The answer's mark measures
    /// (`pron_mark_mean` …) are taken from these: the second stage pulls each phone towards its answer, which
    /// helps a phone's mark but at the answer level only repeats what the answer's other inputs hold (the
    /// calibrated model measured 0.003–0.009 lower with them; docs/accuracy.md, "Phone marks in context").
    public var evidence: [Double]
    /// The marks shown (`PhoneScore.mark`, `WordScore.mark`): the second stage's where there is one.
    public var marks: [Double]

    public init(evidence: [Double], marks: [Double]) {
      self.evidence = evidence
      self.marks = marks
    }
  }

  /// `rows` with the first stage's marks around each phone: its own, its neighbours' one and two away, its word's
  /// mean and lowest, the answer's mean and lowest, and the mean of the same phone's other occurrences in the
  /// answer (a learner who misses a sound once tends to miss it again) with their count.
  static func withContext(_ rows: [[Double]], marks: [Double], phones: [PhoneScore]) -> [[Double]] {
    let words = Dictionary(grouping: phones.indices, by: { phones[$0].wordIndex })
    let same = Dictionary(grouping: phones.indices, by: { phones[$0].phone })
    let answerMean = PronunciationFeatures.mean(marks)
    let answerLowest = marks.min() ?? 0
    func mark(_ index: Int, _ i: Int) -> Double { marks.indices.contains(index) ? marks[index] : marks[i] }
    return rows.indices.map { i in
      let word = (words[phones[i].wordIndex] ?? [i]).map { marks[$0] }
      let others = (same[phones[i].phone] ?? []).filter { $0 != i }.map { marks[$0] }
      return rows[i] + [
        marks[i], mark(i - 1, i), mark(i + 1, i), mark(i - 2, i), mark(i + 2, i),
        PronunciationFeatures.mean(word), word.min() ?? marks[i], answerMean, answerLowest,
        others.isEmpty ? marks[i] : PronunciationFeatures.mean(others), Double(others.count),
      ]
    }
  }

  /// Trains on answers' phones, each with the experts' mean mark or nil where the experts' marks could not be
  /// matched to it (those phones still serve as context). Nil when no phone has a mark and every measure.
  ///
  /// With `contextFolds` (and `groups`, one per answer: its speaker), a second stage (`context`) is trained on the
  /// first stage's marks cross-fitted over that many folds of the groups, so it learns from marks of phones the
  /// first stage never saw — as it will meet them.
  public static func train(
    answers: [(phones: [PhoneScore], marks: [Double?])], settings: BoostedTrees.Settings = BoostedTrees.Settings(),
    contextFolds: Int = 0, groups: [Int]? = nil
  ) -> PhoneMarkModel? {
    guard var model = trainFirstStage(answers: answers, settings: settings) else { return nil }
    guard contextFolds >= 2 else { return model }
    let groups = groups?.count == answers.count ? groups! : Array(answers.indices)
    let order = Array(Set(groups)).sorted()
    let foldOfGroup = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0 % contextFolds) })
    let folds = groups.map { foldOfGroup[$0]! }
    // Each answer's first-stage marks from a model that did not see its group.
    var crossFitted = [[Double]?](repeating: nil, count: answers.count)
    for fold in 0..<contextFolds {
      let training = answers.indices.filter { folds[$0] != fold }.map { answers[$0] }
      guard let first = trainFirstStage(answers: training, settings: settings) else { continue }
      for index in answers.indices where folds[index] == fold {
        crossFitted[index] = first.marks(for: answers[index].phones)
      }
    }
    let (rows, targets) = markedRows(
      answers.indices.compactMap { index in
        guard let marks = crossFitted[index], let base = model.features(of: answers[index].phones) else { return nil }
        return (withContext(base, marks: marks, phones: answers[index].phones), answers[index].marks)
      })
    guard !rows.isEmpty else { return model }
    model.context = BoostedTrees.train(rows: rows, targets: targets, settings: settings)
    return model
  }

  /// The rows of phones that have a mark, and the marks: the trees' training set.
  private static func markedRows(_ answers: [(rows: [[Double]], marks: [Double?])]) -> ([[Double]], [Double]) {
    var rows: [[Double]] = []
    var targets: [Double] = []
    for answer in answers where answer.rows.count == answer.marks.count {
      for (row, mark) in zip(answer.rows, answer.marks) {
        if let mark {
          rows.append(row)
          targets.append(mark)
        }
      }
    }
    return (rows, targets)
  }

  private static func trainFirstStage(
    answers: [(phones: [PhoneScore], marks: [Double?])], settings: BoostedTrees.Settings
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
      posteriorCount: posteriorCount, learnerInputs: all.allSatisfy { $0.0.learner != nil },
      encoderInputs: all.allSatisfy { $0.0.encoder != nil },
      trees: BoostedTrees(featureCount: 0, depth: 0, base: 0, trees: []), context: nil)
    // Features are nil for an answer scored with another acoustic model (another posterior count).
    let (rows, targets) = markedRows(
      usable.compactMap { answer in model.features(of: answer.phones).map { ($0, answer.marks) } })
    guard !rows.isEmpty else { return nil }
    model.trees = BoostedTrees.train(rows: rows, targets: targets, settings: settings)
    return model
  }

  /// One row per phone: the phone, its neighbours, its word and its answer (see the type's summary).
  func features(of phones: [PhoneScore]) -> [[Double]]? {
    guard !phones.isEmpty,
      phones.allSatisfy({ $0.measuredEveryPhone && $0.meanLogPosteriors?.count == posteriorCount }),
      !learnerInputs || phones.allSatisfy({ $0.learner != nil }),
      !encoderInputs || phones.allSatisfy({ $0.encoder != nil })
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
    // Each classifier the model was trained with: its log posterior of every phone and their mean.
    let classifiers: [(evidence: KeyPath<PhoneScore, LearnerEvidence?>, posterior: [Double], mean: Double)] =
      [(\PhoneScore.learner, learnerInputs), (\PhoneScore.encoder, encoderInputs)].filter(\.1).map { evidence, _ in
        let posterior = phones.map { $0[keyPath: evidence]?.logPosterior ?? 0 }
        return (evidence, posterior, PronunciationFeatures.mean(posterior))
      }
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
      for (evidence, posterior, mean) in classifiers {
        let own = phone[keyPath: evidence]
        row += [
          posterior[i], own?.margin ?? 0, posterior[previous], posterior[next],
          PronunciationFeatures.mean(word.map { posterior[$0] }), word.map { posterior[$0] }.min() ?? 0, mean,
          own?.lowestLogPosterior ?? 0, own?.silenceLogPosterior ?? 0, own?.neighbourLogPosterior ?? 0,
          own?.agreement ?? 0,
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
    setPhoneMarks(staged: marks.map { PhoneMarkModel.StagedMarks(evidence: $0, marks: $0) })
  }

  /// Sets each phone's and word's mark from `staged.marks` and the answer's mark measures from `staged.evidence`;
  /// nil, or counts that do not match the phones, clear them.
  public mutating func setPhoneMarks(staged: PhoneMarkModel.StagedMarks?) {
    let fits = staged.map { $0.marks.count == phones.count && $0.evidence.count == phones.count } ?? false
    let staged = fits ? staged : nil
    for index in phones.indices { phones[index].mark = staged?.marks[index] }
    let wordMarks = staged.map { PronunciationFeatures.wordMeans(of: $0.marks, phones: phones) }
    for index in words.indices { words[index].mark = wordMarks?[index] }
    features?.measureMarks(phones: phones, marks: staged?.evidence)
  }
}

extension PhoneScore {
  /// Every-phone scoring measured it (`AlignerSettings.scoresEveryPhone`).
  var measuredEveryPhone: Bool { logPosterior != nil && margin != nil && meanLogPosteriors != nil }
}
