import Foundation
import Testing
import _ExamTestSupport

@testable import ExamCLI

/// `--lexicon`, or a corpus's `lexicon.txt` beside the manifest.
@Suite struct ManifestLexiconTests {
  @Test func aLexiconBesideTheManifestIsUsedUnlessOneIsGiven() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let manifest = dir.file("scores.csv")
    try "utt,audio,text\n".write(toFile: manifest, atomically: true, encoding: .utf8)
    let none = try PronunciationOptions.parse([])
    #expect(none.lexicons(besideManifest: manifest) == [], "no lexicon.txt there")
    #expect(none.lexicons(besideManifest: nil) == [])
    try "ZORBLAX Z AO R B L AE K S\n".write(toFile: dir.file("lexicon.txt"), atomically: true, encoding: .utf8)
    #expect(none.lexicons(besideManifest: manifest) == [dir.file("lexicon.txt")])
    let given = try PronunciationOptions.parse(["--lexicon", "/elsewhere/words.txt"])
    #expect(given.lexicons(besideManifest: manifest) == ["/elsewhere/words.txt"], "--lexicon chooses")
  }
}
