import ExamCore
import ExamStorage
import Foundation
import Proctoring
import Testing
import _ExamTestSupport

@Suite struct SeatEventParserTests {
  @Test func parsesAFullLine() throws {
    let line =
      #"{"time":"2026-06-14T08:31:02.5+08:00","centre":"T1","room":"R1","seat":"1-1","machine":"M1","seq":7,"candidate":"C\u0031","type":"mic-check","payload":{"level_db":-23.5,"extra":[1,{"a":null}]}}"#
    let event = try SeatEventParser.parse(line, examId: "E1").get()
    #expect(event.machineId == "M1" && event.seq == 7 && event.candidateId == "C1" && event.type == .micCheck)
    #expect(event.level == -23.5)
    // Local wall clock: the +08:00 offset is not applied.
    #expect(event.at == Timestamp.parse("2026-06-14T08:31:02Z")! + 0.5)
  }

  @Test(arguments: [
    (
      #"{"time":"2026-06-14T08:31:02Z","centre":"T1","room":"R1","seat":"1","machine":"M","seq":1,"type":"dance"}"#,
      "'type' \"dance\""
    ),
    (
      #"{"time":"yesterday","centre":"T1","room":"R1","seat":"1","machine":"M","seq":1,"type":"heartbeat"}"#,
      "'time' \"yesterday\""
    ),
    (
      #"{"time":"2026-06-14T08:31:02Z","centre":"T1","room":"R1","seat":"1","machine":"M","seq":-1,"type":"heartbeat"}"#,
      "'seq' must"
    ),
    (
      #"{"time":"2026-06-14T08:31:02Z","centre":"T1","room":"R1","seat":"1","machine":"M","seq":1,"type":"login"}"#,
      "a login event needs 'candidate'"
    ),
    (
      #"{"time":"2026-06-14T08:31:02Z","centre":"T1","room":"R1","seat":"1","machine":"M","seq":1,"type":"item-end","candidate":"C1"}"#,
      "a item-end event needs 'payload.item'"
    ),
    (
      #"{"time":"2026-06-14T08:31:02Z","centre":"T1","room":"R1","seat":"1","seq":1,"type":"heartbeat"}"#,
      "'machine' is missing"
    ),
    (#"{"time":"2026-06-14T08:31:02Z","centre":"T1","room":"R1""#, "expected ',' or '}'"),
    (#"{"time":"2026-06-14T08:31:02Z"} trailing"#, "text after the JSON object"),
    (#"[1,2]"#, "a line must be one JSON object"),
  ])
  func refusesBadLinesSayingWhy(_ c: (String, String)) {
    switch SeatEventParser.parse(c.0, examId: "E1") {
    case .success: Issue.record("accepted \(c.0)")
    case .failure(let f): #expect(f.description.hasPrefix(c.1), "\(f.description)")
    }
  }

  /// Nesting is bounded: a payload 150,000 levels deep is refused with a reason, not a stack overflow.
  @Test(arguments: [150_000, 33])
  func refusesDeepNestingWithoutRecursingIntoIt(_ levels: Int) {
    let payload = String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
    let line =
      #"{"time":"2026-06-14T08:31:02Z","centre":"T1","room":"R1","seat":"1","machine":"M","seq":1,"type":"heartbeat","x":"#
      + payload + "}"
    switch SeatEventParser.parse(line, examId: "E1") {
    case .success: Issue.record("accepted \(levels) levels")
    case .failure(let f): #expect(f.description.hasPrefix("nested deeper than 32 levels"), "\(f.description)")
    }
  }

  @Test func acceptsNestingWithinTheLimit() throws {
    let payload = String(repeating: "[", count: 30) + String(repeating: "]", count: 30)
    let line =
      #"{"time":"2026-06-14T08:31:02Z","centre":"T1","room":"R1","seat":"1","machine":"M","seq":1,"type":"heartbeat","x":"#
      + payload + "}"
    #expect(try SeatEventParser.parse(line, examId: "E1").get().machineId == "M")
  }

  @Test func agreesWithJSONDecoderOnGeneratedLines() throws {
    var log = Sitting.Log()
    log.clean("1-1", "C1")
    for line in log.lines {
      let event = try SeatEventParser.parse(line, examId: "E1").get()
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
      #expect(event.machineId == object["machine"] as? String)
      #expect(event.seq == Int64(object["seq"] as! Int))
      #expect(event.type.rawValue == object["type"] as? String)
      #expect(event.candidateId == object["candidate"] as? String)
    }
  }
}
