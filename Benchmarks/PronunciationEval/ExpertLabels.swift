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
