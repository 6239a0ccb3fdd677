import Foundation

/// speechocean762's utterance metadata (scores.csv) and word/phone marks (words.jsonl).
struct Utterance {
  var id: String
  var audioPath: String
  var speaker: String
  var age: Int
  var text: String
  var accuracy: Double
  var total: Double
  var completeness: Double
  var words: [ExpertWord]
}

/// One word with the five experts' marks.
struct ExpertWord: Decodable {
  var text: String
  var accuracy: [Double]
  /// Five transcriptions: `P` correct (2), `{P}` accented (1), `(P)` wrong or missed (0), `[P]` inserted.
  var phones: [String]

  var meanAccuracy: Double { accuracy.reduce(0, +) / Double(max(1, accuracy.count)) }

  /// Each expert's marks (0/1/2) for the canonical phones, inserted phones left out.
  var expertMarks: [[Double]] {
    phones.map { transcription in
      transcription.split(separator: " ").compactMap { token -> Double? in
        if token.hasPrefix("[") { return nil }
        if token.hasPrefix("{") { return 1 }
        if token.hasPrefix("(") { return 0 }
        return 2
      }
    }
  }
}

/// The experts' verdict on one canonical phone.
struct PhoneLabel {
  /// Mean mark over the experts whose transcription has as many canonical phones as our pronunciation (0…2).
  var meanMark: Double
  /// More than half of those experts marked it wrong or missed.
  var majorityWrong: Bool
}

extension ExpertWord {
  /// Labels for `phoneCount` aligned phones, or nil when fewer than three experts' transcriptions line up.
  func labels(phoneCount: Int) -> [PhoneLabel]? {
    let usable = expertMarks.filter { $0.count == phoneCount }
    guard usable.count >= 3 else { return nil }
    return (0..<phoneCount).map { index in
      let marks = usable.map { $0[index] }
      return PhoneLabel(
        meanMark: marks.reduce(0, +) / Double(marks.count),
        majorityWrong: marks.filter { $0 == 0 }.count * 2 > marks.count)
    }
  }
}

/// How well the experts agree with each other: each expert against the mean of the other four, averaged over the
/// experts — the ceiling a machine's phone and word marks are measured against.
struct ExpertAgreement {
  /// Phone level: over the canonical phones of the words whose five transcriptions all line up.
  var phone: Double
  var phoneRange: ClosedRange<Double>
  var phones: Int
  /// Word level: word accuracy (0–10), over every word with five marks.
  var word: Double
  var words: Int

  init(_ utterances: [Utterance]) {
    var phoneMarks: [[Double]] = []  // per phone, five experts' marks
    var wordMarks: [[Double]] = []
    for word in utterances.flatMap(\.words) {
      if word.accuracy.count == 5 { wordMarks.append(word.accuracy) }
      let marks = word.expertMarks
      guard marks.count == 5, let count = marks.first?.count, marks.allSatisfy({ $0.count == count }) else { continue }
      for index in 0..<count { phoneMarks.append(marks.map { $0[index] }) }
    }
    func oneAgainstRest(_ rows: [[Double]]) -> [Double] {
      (0..<5).map { expert in
        Statistics.pearson(
          rows.map { $0[expert] },
          rows.map { row in (row.reduce(0, +) - row[expert]) / 4 })
      }
    }
    let byExpert = oneAgainstRest(phoneMarks)
    phone = byExpert.reduce(0, +) / 5
    phoneRange = (byExpert.min() ?? .nan)...(byExpert.max() ?? .nan)
    phones = phoneMarks.count
    word = oneAgainstRest(wordMarks).reduce(0, +) / 5
    words = wordMarks.count
  }

  var markdown: String {
    String(
      format:
        "experts against each other (one expert against the mean of the other four, averaged over the five): phone level r %.3f (%d phones whose five transcriptions line up; by expert %.3f–%.3f); word accuracy r %.3f (%d words)",
      phone, phones, phoneRange.lowerBound, phoneRange.upperBound, word, words)
  }
}

enum Corpus {
  /// Reads scores.csv and words.jsonl from `folder`.
  static func load(_ folder: String) throws -> [Utterance] {
    struct Line: Decodable { var utt: String; var words: [ExpertWord] }
    let decoder = JSONDecoder()
    var words: [String: [ExpertWord]] = [:]
    for line in try String(contentsOfFile: folder + "/words.jsonl", encoding: .utf8).split(separator: "\n") {
      let parsed = try decoder.decode(Line.self, from: Data(line.utf8))
      words[parsed.utt] = parsed.words
    }
    let rows = try String(contentsOfFile: folder + "/scores.csv", encoding: .utf8).split(whereSeparator: \.isNewline)
    let header = rows[0].split(separator: ",").map(String.init)
    func column(_ name: String) throws -> Int {
      guard let index = header.firstIndex(of: name) else { throw CorpusError("scores.csv has no column '\(name)'") }
      return index
    }
    let (utt, audio, speaker, age, text) = (
      try column("utt"), try column("audio"), try column("speaker"), try column("age"), try column("text")
    )
    let (accuracy, total, completeness) = (
      try column("accuracy_mean"), try column("total_mean"), try column("completeness_mean")
    )
    return try rows.dropFirst().map { row in
      let f = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      guard let marks = words[f[utt]] else { throw CorpusError("words.jsonl has no line for \(f[utt])") }
      return Utterance(
        id: f[utt], audioPath: folder + "/" + f[audio], speaker: f[speaker], age: Int(f[age]) ?? -1, text: f[text],
        accuracy: Double(f[accuracy]) ?? .nan, total: Double(f[total]) ?? .nan,
        completeness: Double(f[completeness]) ?? .nan, words: marks)
    }
  }
}

struct CorpusError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
