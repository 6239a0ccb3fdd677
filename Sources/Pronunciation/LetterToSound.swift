import Foundation

/// Pronunciations for words in no lexicon, from espeak-ng's US English rules (`espeak-ng -v en-us --ipa`),
/// mapped from IPA to the acoustic model's ARPAbet phones.
///
/// espeak-ng is a separate program (Debian `espeak-ng`, installed by Tools/bootstrap); when it is missing or
/// prints a symbol the table below does not know, the word has no pronunciation and the caller reports it.
public struct LetterToSound: Sendable {
  /// The espeak-ng executable.
  public var executable: String

  public init(executable: String = "/usr/bin/espeak-ng") { self.executable = executable }

  /// Whether the executable exists.
  public var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: executable) }

  /// ARPAbet phones for `word`, or nil when espeak-ng is missing, fails, or prints an unmapped symbol.
  public func phones(for word: String) -> [String]? {
    guard isAvailable, word.contains(where: \.isLetter) else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = ["-q", "-v", "en-us", "--ipa", word]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0, let ipa = String(data: data, encoding: .utf8) else { return nil }
    return Self.arpabet(fromIPA: ipa)
  }

  /// Maps espeak-ng's IPA to ARPAbet: longest symbol first; stress, length and syllable marks are dropped.
  static func arpabet(fromIPA ipa: String) -> [String]? {
    let ignored: Set<Character> = ["ˈ", "ˌ", "ː", "\u{0329}", "-", "_", " ", "\n", "\t", "."]
    var scalars = Array(ipa.unicodeScalars.filter { !ignored.contains(Character($0)) }.map(String.init))
    var phones: [String] = []
    while !scalars.isEmpty {
      var matched = false
      for length in stride(from: min(3, scalars.count), through: 1, by: -1) {
        let symbol = scalars[0..<length].joined()
        if let mapped = ipaToArpabet[symbol] {
          phones.append(contentsOf: mapped)
          scalars.removeFirst(length)
          matched = true
          break
        }
      }
      if !matched { return nil }
    }
    return phones.isEmpty ? nil : phones
  }

  private static let ipaToArpabet: [String: [String]] = [
    // vowels and diphthongs
    "ɑ": ["AA"], "ɒ": ["AA"], "æ": ["AE"], "a": ["AE"], "ʌ": ["AH"], "ə": ["AH"], "ɐ": ["AH"], "ɚ": ["ER"],
    "ɜ": ["ER"], "ɝ": ["ER"], "ɔ": ["AO"], "o": ["AO"], "aʊ": ["AW"], "aɪ": ["AY"], "ɛ": ["EH"], "e": ["EH"],
    "eɪ": ["EY"], "ɪ": ["IH"], "ᵻ": ["IH"], "i": ["IY"], "oʊ": ["OW"], "əʊ": ["OW"], "ɔɪ": ["OY"], "ʊ": ["UH"],
    "u": ["UW"], "ɪɹ": ["IH", "R"], "ɛɹ": ["EH", "R"], "ʊɹ": ["UH", "R"],
    // consonants
    "b": ["B"], "tʃ": ["CH"], "d": ["D"], "ð": ["DH"], "f": ["F"], "ɡ": ["G"], "g": ["G"], "h": ["HH"],
    "dʒ": ["JH"], "k": ["K"], "l": ["L"], "ɫ": ["L"], "m": ["M"], "n": ["N"], "ŋ": ["NG"], "p": ["P"], "ɹ": ["R"],
    "r": ["R"], "s": ["S"], "ʃ": ["SH"], "t": ["T"], "ɾ": ["T"], "ʔ": ["T"], "θ": ["TH"], "v": ["V"], "w": ["W"],
    "j": ["Y"], "z": ["Z"], "ʒ": ["ZH"], "x": ["K"], "ç": ["HH"],
  ]
}
