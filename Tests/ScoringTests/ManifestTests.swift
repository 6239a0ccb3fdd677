import ExamCore
import Scoring
import Testing
import _ExamTestSupport

@Suite struct ManifestTests {
  let speechocean = """
    utt,audio,speaker,age,gender,text,fluency_r1,fluency_r2,fluency_mean,completeness_r1,completeness_r2,completeness_mean,total_r1,total_r2,total_mean
    000010011,audio/SPEAKER0001/000010011.flac,0001,6,m,WE CALL IT BEAR,10,9,9.5,1.0,0.75,0.875,7.6,9.0,8.3
    000020022,audio/SPEAKER0002/000020022.flac,,9,f,THREE TWO TWO SEVEN,5,,5,1.0,1.0,1.0,6,7,6.5
    """

  @Test func readsSpeechoceanScoresAsManifest() throws {
    let entries = try ScoringManifest.parse(speechocean, source: "scores.csv", baseDirectory: "/data/so")
    #expect(entries.count == 2)
    #expect(entries[0].id == "000010011")
    #expect(entries[0].audioPath == "/data/so/audio/SPEAKER0001/000010011.flac")
    #expect(entries[0].text == "WE CALL IT BEAR")
    #expect(entries[0].speaker == "0001")
    #expect(entries[1].speaker == "0002")  // from the SPEAKERnnnn folder when the column is empty
  }

  @Test func readsRaterColumnsAndTheirScale() throws {
    let r = try HumanRatings.parse(speechocean, source: "scores.csv")
    #expect(r.aspects == ["fluency", "completeness", "total"])
    #expect(r.ratings["000010011"]?["fluency"] == [10, 9])
    #expect(r.ratings["000020022"]?["fluency"] == [5, nil])
    #expect(r.mean("000020022", "fluency") == 5)
    #expect(r.scaleMaximum["completeness"] == 1 && r.scaleMaximum["fluency"] == 10)
    #expect(r.raterCount("total") == 2)
  }

  @Test func acceptsASingleAspectColumnAndAnIdColumn() throws {
    let r = try HumanRatings.parse("id,audio,fluency\na,x.wav,7\n", source: "r.csv")
    #expect(r.ratings["a"]?["fluency"] == [7])
    let m = try ScoringManifest.parse("id,audio\na,x.wav\n", source: "m.csv", baseDirectory: "")
    #expect(m[0].audioPath == "x.wav" && m[0].speaker == "a" && m[0].text == nil)
  }

  @Test(arguments: [
    ("audio,text\nx.wav,hi\n", ExamError.Code.invalidInput),  // no id column
    ("id,audio\na,x.wav\na,y.wav\n", .invalidInput),  // duplicate id
    ("id,audio\na,\n", .invalidInput),  // no audio
  ])
  func rejectsBadManifests(_ text: String, _ code: ExamError.Code) {
    #expect {
      _ = try ScoringManifest.parse(text, source: "m.csv", baseDirectory: "")
    } throws: { ($0 as? ExamError)?.code == code }
  }

  @Test func rejectsScoresOutOfRangeNamingTheLine() {
    #expect {
      _ = try HumanRatings.parse("id,fluency_r1\na,7\nb,12\n", source: "r.csv")
    } throws: { e in
      guard let e = e as? ExamError else { return false }
      return e.code == .invalidInput && e.location == "line 3, column fluency_r1"
    }
  }

  @Test func countsSyllablesOfPromptTexts() {
    #expect(TextSyllables.count("WE CALL IT BEAR") == 4)
    #expect(TextSyllables.count("THREE TWO TWO SEVEN") == 5)
    #expect(TextSyllables.count("The table makes a beautiful noise") == 9)
    #expect(TextSyllables.count("yes, I liked it") == 4)
    #expect(TextSyllables.count("2026") == 4)
  }
}
