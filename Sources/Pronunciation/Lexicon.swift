import ExamCore
import Foundation

/// Word → pronunciations (ARPAbet phones without stress), from CMUdict and any extra lexicons.
///
/// Reads CMUdict's format (`word(2) P H O N E S`) and speechocean762's `lexicon.txt` (`WORD<TAB>P H O N E S`);
/// keys are lower case. A lexicon read later puts its pronunciations first (the prompt-specific lexicon wins the
/// ties the aligner cannot break), and keeps the earlier ones as alternatives.
public struct Lexicon: Sendable {
  private var entries: [String: [[String]]] = [:]

  public init() {}

  /// Number of words with at least one pronunciation.
  public var wordCount: Int { entries.count }

  /// Pronunciations of `word` (any case), most preferred first; empty when the word is not in the lexicon.
  public func pronunciations(of word: String) -> [[String]] { entries[word.lowercased()] ?? [] }

  /// Adds a pronunciation at the front of `word`'s list (or moves it there).
  public mutating func add(_ word: String, phones: [String]) {
    let key = word.lowercased()
    var list = entries[key] ?? []
    list.removeAll { $0 == phones }
    list.insert(phones, at: 0)
    entries[key] = list
  }

  /// Reads a lexicon file; its pronunciations go before those already present.
  /// - Throws: `ExamError.notFound`/`.io` when the file cannot be read, `.invalidInput` naming the first line with
  ///   a phone the acoustic model does not have.
  public mutating func read(path: String) throws(ExamError) {
    let text: String
    do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
      let exists = FileManager.default.fileExists(atPath: path)
      throw ExamError(
        exists ? .io : .notFound, file: path, "cannot read the lexicon",
        fix: exists ? "check the file's permissions and encoding (UTF-8)" : "give the path of a CMUdict-format file",
        underlying: "\(error)")
    }
    var read: [String: [[String]]] = [:]
    var order: [String] = []
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard fields.count >= 2, !line.hasPrefix(";;;"), !fields[0].hasPrefix("#") else { continue }
      var word = fields[0].lowercased()
      if let paren = word.firstIndex(of: "("), word.hasSuffix(")") { word = String(word[..<paren]) }
      var phones: [String] = []
      for field in fields.dropFirst() {
        if field.hasPrefix("#") { break }  // CMUdict comments after the phones
        let phone = String(field.filter { !$0.isNumber }).uppercased()
        guard PhoneAligner.phones.contains(phone) else {
          throw ExamError(
            .invalidInput, file: path, location: "line \(index + 1)",
            "'\(field)' in the pronunciation of '\(word)' is not an ARPAbet phone of the acoustic model",
            fix: "use the 39 ARPAbet phones (AA … ZH, stress digits allowed)")
        }
        phones.append(phone)
      }
      if read[word] == nil { order.append(word) }
      if read[word]?.contains(phones) != true { read[word, default: []].append(phones) }
    }
    for word in order {
      let new = read[word] ?? []
      entries[word] = new + (entries[word] ?? []).filter { !new.contains($0) }
    }
  }

  /// CMUdict from the model folder, then each of `extraPaths` (e.g. speechocean762's lexicon.txt) on top.
  public static func load(model: AcousticModel, extraPaths: [String] = []) throws(ExamError) -> Lexicon {
    var lexicon = Lexicon()
    try lexicon.read(path: model.dictionaryPath)
    for path in extraPaths { try lexicon.read(path: path) }
    return lexicon
  }
}
