import AudioIO
import ExamCore
import Foundation
import Proctoring

/// The voice-change rule on real speakers: speechocean762's 125 speakers read 8 sentences each, as a candidate
/// gives 8 spoken answers. For every speaker of the chosen part (sorted ids: even positions = tune, odd = test),
/// the rule runs on their own 8 answers (a raised incident is a false alarm) and on the 8 answers with one
/// replaced by another speaker's answer to the same position (an impostor; caught when an incident names that
/// item or says that no two answers agree). The other speaker is drawn (seeded) from all speakers, and again
/// from the same gender and age band (children under 13, teenagers, adults): the harder case.
/// Prints one row per `maxVoiceDistance`.
func voices(manifest: String, part: String, thresholds: [Double], join: Int = 1, dump: String? = nil) throws
{
  let table = try CSVTable(parsing: try String(contentsOfFile: manifest, encoding: .utf8), source: manifest)
  let folder = AtomicFile.parentOf(manifest)
  struct Speaker { var id: String; var gender: String; var band: Int; var files: [String] }
  var byId: [String: Speaker] = [:]
  for row in table.rows {
    let id = table.value(row, "speaker")
    let age = Int(table.value(row, "age")) ?? 0
    byId[id, default: Speaker(id: id, gender: table.value(row, "gender"), band: age < 13 ? 0 : age < 18 ? 1 : 2, files: [])]
      .files.append(folder + "/" + table.value(row, "audio"))
  }
  let sortedIds = byId.keys.sorted()
  let chosen = sortedIds.enumerated().filter { part == "all" || ($0.offset % 2 == 0) == (part == "tune") }.map(\.element)
  // Analyses of every speaker's answers (impostors come from all speakers).
  let analyzer = RecordingAnalyzer()
  var analyses: [String: [RecordingAnalysis]] = [:]
  let started = Date()
  for id in sortedIds {
    // With `join` > 1, consecutive recordings are joined into one longer answer (8 / join answers).
    let decoded = try byId[id]!.files.sorted().map { path throws(ExamError) in
      try decodeMono(path: path, targetSampleRate: AudioFingerprint.sampleRate).samples
    }
    analyses[id] = stride(from: 0, to: decoded.count - join + 1, by: join).map { start in
      analyzer.analyze(samples: Array(decoded[start..<(start + join)].joined()))
    }
  }
  if let dump {
    var text = "speaker,gender,age_band,index," + (1...12).map { "m\($0)" }.joined(separator: ",") + ","
      + (1...12).map { "s\($0)" }.joined(separator: ",") + ",f0,voiced\n"
    for id in sortedIds {
      for (k, a) in analyses[id]!.enumerated() {
        guard let p = a.profile else { continue }
        text += "\(id),\(byId[id]!.gender),\(byId[id]!.band),\(k)," + (p.mfccMean + p.mfccStd).map { "\($0)" }.joined(separator: ",")
          + ",\(p.medianF0),\(p.voicedFrames)\n"
      }
    }
    try text.write(toFile: dump, atomically: true, encoding: .utf8)
  }
  FileHandle.standardError.write(Data("analysed \(byId.values.reduce(0) { $0 + $1.files.count }) recordings in \(Int(Date().timeIntervalSince(started))) s\n".utf8))

  func recordings(_ candidate: String, count: Int) -> [StoredRecording] {
    (0..<count).map { k in
      StoredRecording(id: Int64(k + 1), examId: "E", candidateId: candidate, itemId: "S\(k + 1)", originalSha256: "\(candidate)-\(k)",
        originalName: "", storedSha256: "\(candidate)-\(k)", durationSeconds: 3, originalSampleRate: 16_000, originalChannels: 1,
        originalFormat: "FLAC", centreId: "T", recordedAt: "2026-06-14T09:00:00Z", ingestedAt: "", batchId: "b")
    }
  }
  func raised(_ rules: RecordingRules, _ candidate: String, _ set: [RecordingAnalysis]) -> Set<String> {
    Set(rules.incidents(examId: "E", recordings: recordings(candidate, count: set.count), analyses: set)
      .filter { $0.rule == "voice-change" }.map(\.key))
  }
  // Impostor cases: (speaker, position, other speaker), fixed by the seed for every threshold.
  var generator = SplitMix64(seed: 762)
  var cases: [(speaker: String, position: Int, any: String, similar: String?)] = []
  for id in chosen {
    let me = byId[id]!
    for position in [1, 5] where position < analyses[id]!.count {
      let others = sortedIds.filter { $0 != id }
      let any = others[Int(generator.next() % UInt64(others.count))]
      let alike = others.filter { byId[$0]!.gender == me.gender && byId[$0]!.band == me.band }
      let similar = alike.isEmpty ? nil : alike[Int(generator.next() % UInt64(alike.count))]
      cases.append((id, position, any, similar))
    }
  }
  let answers = analyses[chosen[0]]!.count
  print("speechocean762 \(part) part: \(chosen.count) speakers × \(answers) answers (\(join) recording(s) each); \(cases.count) impostor answers per column")
  print("| maxVoiceDistance | genuine candidates flagged | impostor caught (any speaker) | impostor caught (same gender and age band) |")
  print("|---:|---:|---:|---:|")
  for threshold in thresholds {
    var rules = RecordingRules()
    rules.settings.maxVoiceDistance = threshold
    let falseAlarms = chosen.filter { !raised(rules, $0, analyses[$0]!).isEmpty }.count
    func caught(_ other: (Int) -> String?) -> (hits: Int, total: Int) {
      var hits = 0, total = 0
      for (index, c) in cases.enumerated() {
        guard let o = other(index) else { continue }
        var set = analyses[c.speaker]!
        set[c.position] = analyses[o]![c.position]
        let keys = raised(rules, c.speaker, set)
        total += 1
        if keys.contains("voice-change:\(c.speaker):S\(c.position + 1)") || keys.contains("voice-change:\(c.speaker):all") { hits += 1 }
      }
      return (hits, total)
    }
    let any = caught { cases[$0].any }
    let similar = caught { cases[$0].similar }
    func pct(_ a: Int, _ b: Int) -> String { b == 0 ? "–" : String(format: "%.1f%% (%d/%d)", 100 * Double(a) / Double(b), a, b) }
    print("| \(threshold) | \(pct(falseAlarms, chosen.count)) | \(pct(any.hits, any.total)) | \(pct(similar.hits, similar.total)) |")
  }
}
