import Foundation
import Pronunciation

/// A scored phone with the experts' label, for phone-level agreement.
struct PhoneRow {
  var utterance: Int
  /// Index into the answer's `PronunciationResult.phones`.
  var phoneIndex: Int
  var speaker: String
  var phone: String
  var gop: Double
  var logDurationRatio: Double
  var previousGOP: Double
  var nextGOP: Double
  var wordMeanGOP: Double
  var utteranceMeanGOP: Double
  var isVowel: Bool
  var isWordFinal: Bool
  var label: PhoneLabel
  var wordIndex: Int
  var expectedSeconds: Double
  /// Filled after the corpus norms are known (`EvalReport.init`).
  var utteranceMeanZ = 0.0
  var wordMinimumZ = 0.0
  var previousZ = 0.0
  var nextZ = 0.0
  var expectedFrames = 10.0
  var logPosterior: Double?
  var margin: Double?
  var likeliestPhone: String?
  var previousLogPosterior: Double?
  var nextLogPosterior: Double?
  var vector: [Double] = []
}

struct EvalReport {
  var utterances: [Utterance]
  var scored: [Scored]
  var phones: [PhoneRow] = []
  /// (word mean GOP, word minimum GOP, experts' mean word accuracy)
  var words: [(Double, Double, Double)] = []
  /// (word mean log posterior, experts' mean word accuracy), for words whose phones all have one
  var wordPosteriors: [(Double, Double)] = []
  /// Phone → (mean, sd) of GOP over the corpus: per-phone normalisation.
  var phoneStats: [String: (Double, Double)] = [:]

  init(utterances: [Utterance], scored: [Scored]) {
    self.utterances = utterances
    self.scored = scored
    for (index, (utterance, item)) in zip(utterances, scored).enumerated() {
      let result = item.result
      guard result.words.count == utterance.words.count else { continue }
      let utteranceMean = result.phones.map(\.gop).reduce(0, +) / Double(max(1, result.phones.count))
      var offset = 0
      for (word, expert) in zip(result.words, utterance.words) {
        let wordPhones = Array(result.phones[offset..<offset + word.phones.count])
        defer { offset += word.phones.count }
        words.append((word.meanGOP, word.minimumGOP, expert.meanAccuracy))
        let posteriors = wordPhones.compactMap(\.logPosterior)
        if !posteriors.isEmpty, posteriors.count == wordPhones.count {
          wordPosteriors.append((posteriors.reduce(0, +) / Double(posteriors.count), expert.meanAccuracy))
        }
        guard let labels = expert.labels(phoneCount: wordPhones.count) else { continue }
        for (k, (phone, label)) in zip(wordPhones, labels).enumerated() {
          let global = offset + k
          phones.append(
            PhoneRow(
              utterance: index, phoneIndex: global, speaker: utterance.speaker, phone: phone.phone, gop: phone.gop,
              logDurationRatio: log(max(phone.durationRatio, 1e-3)),
              previousGOP: global > 0 ? result.phones[global - 1].gop : phone.gop,
              nextGOP: global + 1 < result.phones.count ? result.phones[global + 1].gop : phone.gop,
              wordMeanGOP: word.meanGOP, utteranceMeanGOP: utteranceMean, isVowel: phone.isVowel,
              isWordFinal: phone.isWordFinal, label: label, wordIndex: phone.wordIndex,
              expectedSeconds: phone.durationSeconds / max(phone.durationRatio, 1e-6),
              logPosterior: phone.logPosterior, margin: phone.margin, likeliestPhone: phone.likeliestPhone,
              previousLogPosterior: global > 0 ? result.phones[global - 1].logPosterior : phone.logPosterior,
              nextLogPosterior: global + 1 < result.phones.count
                ? result.phones[global + 1].logPosterior : phone.logPosterior, vector: phone.meanLogPosteriors ?? []))
        }
      }
    }
    var grouped: [String: [Double]] = [:]
    for row in phones { grouped[row.phone, default: []].append(row.gop) }
    for (phone, gops) in grouped {
      let mean = gops.reduce(0, +) / Double(gops.count)
      let sd = (gops.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, gops.count - 1))).squareRoot()
      phoneStats[phone] = (mean, max(sd, 1e-6))
    }
    // Answer- and word-relative inputs, from the corpus norms (label-free).
    let zs = phones.map(normalised)
    var byUtterance: [Int: [Int]] = [:]
    for (i, row) in phones.enumerated() { byUtterance[row.utterance, default: []].append(i) }
    for indices in byUtterance.values {
      let mean = indices.reduce(0) { $0 + zs[$1] } / Double(indices.count)
      for (k, i) in indices.enumerated() {
        phones[i].utteranceMeanZ = mean
        phones[i].previousZ = k > 0 ? zs[indices[k - 1]] : zs[i]
        phones[i].nextZ = k + 1 < indices.count ? zs[indices[k + 1]] : zs[i]
        phones[i].wordMinimumZ =
          indices.filter { phones[$0].wordIndex == phones[i].wordIndex }.map { zs[$0] }.min() ?? zs[i]
        phones[i].expectedFrames = phones[i].expectedSeconds * 100
      }
    }
  }

  /// Phone → "mean, sd" of GOP as Swift dictionary entries (for `PhoneNorms.gopNorms`), and GOP quantiles.
  func normsTable() -> String {
    let table = phoneStats.keys.sorted().map { phone in
      let (mean, sd) = phoneStats[phone] ?? (0, 1)
      return String(format: "\"%@\": (%.2f, %.2f),", phone, mean, sd)
    }.joined(separator: " ")
    let gops = phones.map(\.gop).sorted()
    let quantiles = [0.01, 0.05, 0.1, 0.25, 0.5].map { q in
      String(format: "%.0f%% %.2f", q * 100, gops.isEmpty ? .nan : gops[Int(q * Double(gops.count - 1))])
    }.joined(separator: ", ")
    return table + "\nphone GOP quantiles: " + quantiles
  }

  func normalised(_ row: PhoneRow) -> Double {
    guard let (mean, sd) = phoneStats[row.phone] else { return 0 }
    return (row.gop - mean) / sd
  }

  /// The phone features of the first ridge (session 3): GOP, z, duration, neighbours, phone identity.
  func basicFeatures(_ row: PhoneRow) -> [Double] {
    let z = normalised(row)
    // some phones are marked wrong more often
    let identity = PhoneAligner.phones.sorted().map { $0 == row.phone ? 1.0 : 0 }
    return [
      row.gop, z, min(z, 0), row.logDurationRatio, abs(row.logDurationRatio), row.previousGOP, row.nextGOP,
      row.wordMeanGOP, row.utteranceMeanGOP, row.isVowel ? 1 : 0, row.isWordFinal ? 1 : 0,
      row.isVowel ? z : 0, row.isWordFinal ? z : 0,
    ] + identity
  }

  /// The basic features plus general ones from the GOP literature: the phone against its own answer (z minus the
  /// answer's mean z: the speaker's voice and channel cancel), duration-weighted GOP (Witt & Young's LPP summed over
  /// frames), the word's worst z, neighbours' z, squares of the deficits, and z per phone identity (the slope differs
  /// by phone, as per-phone thresholds do in Witt & Young).
  func extendedFeatures(_ row: PhoneRow) -> [Double] {
    let z = normalised(row)
    let relative = z - row.utteranceMeanZ
    let frames = exp(row.logDurationRatio) * row.expectedFrames
    let identityZ = PhoneAligner.phones.sorted().map { $0 == row.phone ? z : 0 }
    return basicFeatures(row) + [
      relative, min(relative, 0), min(z, 0) * min(z, 0), row.gop * log(max(frames, 1)), log(max(frames, 1)),
      row.wordMinimumZ, row.previousZ, row.nextZ, row.utteranceMeanZ, min(row.logDurationRatio, 0),
      max(row.logDurationRatio, 0),
    ] + identityZ
  }

  /// The basic features plus what scoring every phone adds: the canonical phone's log posterior, its margin over
  /// the nearest other phone (and that margin's deficit), whether another phone fits the frames best, and the
  /// neighbours' log posteriors.
  func posteriorFeatures(_ row: PhoneRow) -> [Double] {
    let posterior = row.logPosterior ?? 0
    let margin = row.margin ?? 0
    return basicFeatures(row) + [
      posterior, margin, min(margin, 0), row.likeliestPhone == row.phone ? 0 : 1,
      row.previousLogPosterior ?? posterior, row.nextLogPosterior ?? posterior,
    ]
  }

  /// Speaker-disjoint 5-fold CV of a ridge over phone features; returns out-of-fold predictions.
  func trainedPhoneScores(_ featureMap: (PhoneRow) -> [Double]) -> [Double] {
    let folds = Statistics.speakerFolds(phones.map(\.speaker), folds: 5)
    let features = phones.map(featureMap)
    var predictions = [Double](repeating: .nan, count: phones.count)
    for fold in 0..<5 {
      let train = phones.indices.filter { folds[phones[$0].speaker] != fold }
      let model = Statistics.ridge(train.map { features[$0] }, train.map { phones[$0].label.meanMark }, lambda: 0.01)
      for i in phones.indices where folds[phones[i].speaker] == fold { predictions[i] = model(features[i]) }
    }
    return predictions
  }

  func markdown(settings: AlignerSettings, wallSeconds: Double, jobs: Int) -> String {
    var out: [String] = []
    let audio = scored.reduce(0) { $0 + $1.audioSeconds }
    let cpu = scored.reduce(0) { $0 + $1.cpuSeconds }
    let decoded = scored.reduce(0) { $0 + $1.result.decodedSeconds }
    let missing = Dictionary(grouping: scored.compactMap { $0.result.missing?.code }, by: { $0 }).mapValues(\.count)
    out.append(
      String(
        format: "settings: beam %.0e, all senones %@, topn %d, ds %d, margin %.2f s, every phone %@ (frame step %d)",
        settings.beam, settings.scoreAllSenones ? "yes" : "no", settings.topGaussians, settings.frameDownsampling,
        settings.silenceMarginSeconds, settings.scoresEveryPhone ? "yes" : "no", settings.posteriorFrameStep))
    out.append(
      String(
        format:
          "%d answers, %.0f s of audio (%.0f s decoded after trimming); aligner CPU %.1f s => %.1f x real time per core; wall %.0f s with %d jobs",
        scored.count, audio, decoded, cpu, audio / cpu, wallSeconds, jobs))
    out.append("retried with wide beams: \(scored.filter(\.result.retriedWithWideBeams).count); missing: \(missing)")
    let marks = phones.map(\.label.meanMark)
    let wrong = phones.map(\.label.majorityWrong)
    let z = phones.map(normalised)
    let trained = trainedPhoneScores(basicFeatures)
    let extended = trainedPhoneScores(extendedFeatures)
    out.append("")
    out.append(
      "| phone level (\(phones.count) phones, \(wrong.filter { $0 }.count) marked wrong by a majority) | PCC with experts' mean mark | ROC AUC, majority wrong |"
    )
    out.append("|---|---|---|")
    func row(_ name: String, _ score: [Double]) {
      out.append(
        String(
          format: "| %@ | %.3f | %.3f |", name, Statistics.pearson(score, marks),
          Statistics.auc(score.map { -$0 }, positive: wrong)))
    }
    row("GOP (frame-max, nats/frame)", phones.map(\.gop))
    row("GOP normalised per phone (z)", z)
    row("ridge on GOP, z, duration, neighbours, phone identity (speaker-disjoint 5-fold CV)", trained)
    row("ridge adding answer-relative z, duration-weighted GOP, word minimum, z per phone (same CV)", extended)
    if phones.allSatisfy({ $0.logPosterior != nil && $0.margin != nil }) {
      row("log posterior of the phone among all phones (LPP)", phones.map { $0.logPosterior ?? 0 })
      row("margin over the nearest other phone (LPR)", phones.map { $0.margin ?? 0 })
      row("another phone fits best (1) or not (0), negated", phones.map { $0.likeliestPhone == $0.phone ? 0 : -1 })
      row(
        "ridge on the basic inputs plus LPP, margin, another phone best, neighbours' LPP (same CV)",
        trainedPhoneScores(posteriorFeatures))
    }
    out.append("")
    out.append(
      String(
        format:
          "word level (%d words): PCC of word mean GOP with experts' mean word accuracy %.3f; word minimum GOP %.3f",
        words.count, Statistics.pearson(words.map(\.0), words.map(\.2)),
        Statistics.pearson(words.map(\.1), words.map(\.2))))
    if !wordPosteriors.isEmpty {
      out.append(
        String(
          format: "word level (%d words): PCC of word mean log posterior (LPP) with experts' mean word accuracy %.3f",
          wordPosteriors.count, Statistics.pearson(wordPosteriors.map(\.0), wordPosteriors.map(\.1))))
    }
    out.append(ExpertAgreement(utterances).markdown)
    out.append("")
    out.append(contentsOf: utteranceTable())
    return out.joined(separator: "\n")
  }

  func utteranceTable() -> [String] {
    let bands: [(String, (Int) -> Bool)] = [
      ("all", { _ in true }), ("< 13", { $0 < 13 }), ("13–17", { $0 >= 13 && $0 < 18 }), ("adults", { $0 >= 18 }),
    ]
    let features: [(String, (PronunciationFeatures) -> Double)] = [
      ("mean GOP", \.meanGOP), ("mean normalised GOP deficit", \.meanNormalisedGOPDeficit),
      ("10th percentile GOP", \.p10GOP), ("share of low phones (−)", { -$0.shareLowPhones }),
      ("vowel mean GOP", \.vowelMeanGOP), ("consonant mean GOP", \.consonantMeanGOP),
      ("word-final consonant GOP", \.wordFinalConsonantMeanGOP),
      ("alignment score per frame", \.alignmentScorePerFrame),
      ("duration ratio log SD (−)", { -$0.durationRatioLogSD }), ("completeness", \.completeness),
      ("mean log posterior (LPP)", { $0.meanLogPosterior ?? .nan }),
      ("10th percentile LPP", { $0.p10LogPosterior ?? .nan }),
      ("mean margin deficit", { $0.meanMarginDeficit ?? .nan }),
      ("share of phones another phone fits best (−)", { -($0.shareMisheard ?? .nan) }),
      ("mean predicted phone mark (speaker-disjoint CV)", { $0.meanPhoneMark ?? .nan }),
      ("10th percentile predicted phone mark (same CV)", { $0.p10PhoneMark ?? .nan }),
      ("lowest word mark (same CV)", { $0.minimumWordMark ?? .nan }),
    ]
    var out = [
      "| utterance level: PCC with experts' accuracy / total | "
        + bands.map { band in
          "\(band.0) (n \(utterances.filter { band.1($0.age) }.count))"
        }.joined(separator: " | ") + " |"
    ]
    out.append("|---" + String(repeating: "|---", count: bands.count) + "|")
    for (name, feature) in features {
      var cells: [String] = []
      for band in bands {
        let pairs = zip(utterances, scored).filter { band.1($0.0.age) }
        let x = pairs.map { $0.1.result.features.map(feature) ?? .nan }
        cells.append(
          String(
            format: "%.3f / %.3f", Statistics.pearson(x, pairs.map(\.0.accuracy)),
            Statistics.pearson(x, pairs.map(\.0.total))))
      }
      out.append("| \(name) | " + cells.joined(separator: " | ") + " |")
    }
    let x = scored.map { $0.result.features?.completeness ?? .nan }
    out.append(
      String(
        format: "\ncompleteness vs the experts' completeness: PCC %.3f",
        Statistics.pearson(x, utterances.map(\.completeness))))
    return out
  }

  /// Mean aligned duration per phone over phones every usable expert marked correct, as a Swift table.
  func durationTable() -> String {
    var grouped: [String: [Double]] = [:]
    for (index, item) in scored.enumerated() {
      let okPhones = Set(phones.filter { $0.utterance == index && $0.label.meanMark == 2 }.map(\.phone))
      for phone in item.result.phones where okPhones.contains(phone.phone) {
        grouped[phone.phone, default: []].append(phone.durationSeconds)
      }
    }
    return grouped.keys.sorted().map { phone in
      let values = grouped[phone] ?? []
      return String(format: "\"%@\": %.3f,", phone, values.reduce(0, +) / Double(values.count))
    }.joined(separator: " ")
  }

  func phonesCSV() -> String {
    // Then each model phone's mean log posterior over the phone's frames (`PhoneScore.meanLogPosteriors`).
    let vectorLength = phones.first?.vector.count ?? 0
    var lines = [
      "utt,speaker,phone,word,gop,z,log_duration_ratio,log_posterior,margin,likeliest,expert_mean_mark,majority_wrong"
        + (0..<vectorLength).map { ",logpost_\($0)" }.joined()
    ]
    for row in phones {
      lines.append(
        String(
          format: "%@,%@,%@,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%@,%.3f,%d", utterances[row.utterance].id, row.speaker,
          row.phone, row.wordIndex, row.gop, normalised(row), row.logDurationRatio, row.logPosterior ?? .nan,
          row.margin ?? .nan, row.likeliestPhone ?? "", row.label.meanMark, row.label.majorityWrong ? 1 : 0)
          + row.vector.prefix(vectorLength).map { String(format: ",%.3f", $0) }.joined())
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
