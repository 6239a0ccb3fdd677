import ExamCore
import _ExamTestSupport

/// SampleData's exam, under another id, for tests of several sittings.
enum SampleDataBridge {
  static func exam(id: String) -> ExamDefinition {
    SampleData.exam(id: id, packSha256: String(repeating: id == "E1" ? "a" : "b", count: 64))
  }
}
