import ExamCore
import Foundation
import Testing

@testable import Pronunciation

struct LexiconTests {
  private func write(_ text: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("lexicon-\(UUID().uuidString).txt").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func readsBothFormatsAndPutsTheLaterFileFirst() throws {
    var lexicon = Lexicon()
    try lexicon.read(path: try write("tomato T AH M EY T OW\ntomato(2) T AH M AA T OW\n"))
    try lexicon.read(path: try write("TOMATO\tT AH0 M AA1 T OW2\n"))
    #expect(
      lexicon.pronunciations(of: "Tomato") == [["T", "AH", "M", "AA", "T", "OW"], ["T", "AH", "M", "EY", "T", "OW"]])
    #expect(lexicon.pronunciations(of: "potato").isEmpty)
  }

  @Test func namesTheLineOfAPhoneTheModelLacks() throws {
    var lexicon = Lexicon()
    let path = try write("cat K AE T\nbear B AR\n")
    let error = #expect(throws: ExamError.self) { try lexicon.read(path: path) }
    #expect(error?.code == .invalidInput)
    #expect(error?.location == "line 2")
    #expect(error?.message.contains("'AR'") == true)
  }

  @Test func mapsEspeakIPAToARPAbet() {
    #expect(LetterToSound.arpabet(fromIPA: "zˈoːɹblæks") == ["Z", "AO", "R", "B", "L", "AE", "K", "S"])
    #expect(LetterToSound.arpabet(fromIPA: "tʃˈɛɹipˈɪkɪŋ") == ["CH", "EH", "R", "IY", "P", "IH", "K", "IH", "NG"])
    #expect(LetterToSound.arpabet(fromIPA: "bˈʌʔn̩") == ["B", "AH", "T", "N"])
    #expect(LetterToSound.arpabet(fromIPA: "ʘ") == nil)
  }
}
