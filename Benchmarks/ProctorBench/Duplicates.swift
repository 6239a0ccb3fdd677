import ExamCore
import ExamStorage
import Foundation
import Proctoring

/// Duplicate search over `recordings` synthetic fingerprints of `seconds` each (31.25 sub-fingerprints/s).
///
/// Fingerprints are made as audio fingerprints behave: consecutive sub-fingerprints of one recording share
/// most bits (22 % flip per hop, as measured on synthetic speech), different recordings are unrelated. 1 % of recordings are planted copies
/// of another candidate's recording with 10 % of bits flipped (a re-encoded copy). Prints time, memory
/// and recall/precision of the planted copies.
func duplicateScaling(recordings: Int, seconds: Double) {
  var state: UInt64 = 0x5EED
  func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  let frames = Int(seconds * 16_000 / Double(512))
  func flips(_ probability: Double) -> UInt32 {
    var mask: UInt32 = 0
    for b in 0..<32 where Double(next() >> 11) / Double(1 << 53) < probability { mask |= 1 << UInt32(b) }
    return mask
  }
  let started = now()
  var prints: [AudioFingerprint] = []
  prints.reserveCapacity(recordings)
  var planted = Set<[Int]>()
  for r in 0..<recordings {
    if r > 0 && r % 100 == 50 {
      let source = Int(next() % UInt64(r))
      let copy = AudioFingerprint(frames: prints[source].frames.map { $0 ^ flips(0.10) }, loud: prints[source].loud)
      prints.append(copy)
      planted.insert([source, r])
      continue
    }
    var value = UInt32(truncatingIfNeeded: next())
    var f: [UInt32] = []
    f.reserveCapacity(frames)
    for _ in 0..<frames {
      value ^= flips(0.22)
      f.append(value)
    }
    prints.append(AudioFingerprint(frames: f, loud: [Bool](repeating: true, count: frames)))
  }
  let generated = now()
  let groups = Array(0..<recordings)
  let matches = DuplicateFinder().matches(prints, groups: groups)
  let searched = now()
  let found = Set(matches.map { [$0.first, $0.second] })
  let truePositives = found.intersection(planted).count
  let rss = residentMegabytes()
  print(
    String(
      format:
        "recordings %d  frames %d  search %.2f s  (generation %.1f s)  planted %d  found %d  recall %.3f  precision %.3f  peak RSS %d MB",
      recordings, recordings * frames, searched - generated, generated - started, planted.count, found.count,
      Double(truePositives) / Double(max(1, planted.count)), Double(truePositives) / Double(max(1, found.count)), rss))
}

func residentMegabytes() -> Int {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
  for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
    return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
  }
  return 0
}

/// Parses logs without storing them: the parser's share of an ingest.
func parseOnly(_ paths: [String]) {
  let started = now()
  var parsed = 0, bad = 0, lines = 0
  for path in paths {
    guard let file = fopen(path, "rb") else { continue }
    EventLogIngester.forEachLineForBenchmark(file) { line in
      lines += 1
      switch SeatEventParser.parse(line, examId: "X") {
      case .success: parsed += 1
      case .failure: bad += 1
      }
    }
    fclose(file)
  }
  print(String(format: "parsed %d of %d lines (%d bad) in %.1f s", parsed, lines, bad, now() - started))
}

/// The same lines decoded with Foundation's JSONDecoder, one line at a time (the peer of `parseOnly`).
func decodeOnly(_ paths: [String]) {
  // swift-format-ignore: AlwaysUseLowerCamelCase
  struct Payload: Decodable { var item: String?; var result: String?; var level_db: Double? }
  struct Line: Decodable {
    var time: String, centre: String, room: String, seat: String, machine: String, seq: Int64
    var candidate: String?, type: String, payload: Payload?
  }
  let decoder = JSONDecoder()
  let started = now()
  var parsed = 0, bad = 0, lines = 0
  for path in paths {
    guard let file = fopen(path, "rb") else { continue }
    EventLogIngester.forEachLineForBenchmark(file) { line in
      lines += 1
      if let event = try? decoder.decode(Line.self, from: Data(buffer: line)),
        SeatEventParser.localSeconds(event.time) != nil,
        SeatEventType(rawValue: event.type) != nil
      {
        parsed += 1
      } else {
        bad += 1
      }
    }
    fclose(file)
  }
  print(String(format: "JSONDecoder: parsed %d of %d lines (%d bad) in %.1f s", parsed, lines, bad, now() - started))
}
