import ExamCore
import Testing

@Suite struct PathComponentTests {
  @Test(arguments: ["../../../X", "a/b", "..", ".", ".hidden", "a\\b", "nul\u{0}", "", "tab\there"])
  func refusesIdsThatCouldLeaveTheExportFolder(_ id: String) {
    let error = #expect(throws: ExamError.self) {
      try PathComponent.checked(id, what: "session id", source: "centres.yaml")
    }
    #expect(error?.code == .invalidInput && error?.location == "session id" && error?.file == "centres.yaml")
  }

  @Test(arguments: ["D1-AM", "R101", "徐汇01", "a.b", "rater_7"])
  func keepsOrdinaryIds(_ id: String) throws {
    #expect(try PathComponent.checked(id, what: "room id") == id)
  }
}
