import ExamCore
import Testing

@testable import SpeakerEmbedding

@Suite struct SpeakerEncoderModelTests {
  @Test func rejectsAFileThatIsNotAModel() {
    let e = #expect(throws: ExamError.self) {
      try SpeakerEncoderModel(data: Array("not a model at all, just text".utf8), source: "x.bin")
    }
    #expect(e?.code == .invalidInput)
  }

  @Test func rejectsAMissingFile() {
    let e = #expect(throws: ExamError.self) { try SpeakerEncoderModel(path: "/nonexistent/model.bin") }
    #expect(e?.code == .notFound)
  }
}
