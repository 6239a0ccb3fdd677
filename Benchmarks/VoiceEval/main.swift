// voice-eval: the voice-change rule (SpeakerEmbedding's encoder and `VoiceChangeRule`, as Proctoring's
// `RecordingRules.voiceIncidents` applies it: an answer scoring under `minVoiceScore` raises an incident) on real
// speakers, and the embeddings' speed beside SpeechDSP's MFCC speaker profile (docs/accuracy.md, docs/benchmarks.md).
// Depends on no store, so a release build is quick:
//
//   cd Benchmarks && swift build -c release --product voice-eval && cd ..
//   Benchmarks/.build/release/voice-eval [--manifest ../shared/data/speechocean762/scores.csv] [--part tune|test|all]
//       [--thresholds 0.5,1,1.5] [--join N] [--model ExamPacks/models/ge2e-speaker-encoder.bin] [--cohort-top K]
//       [--speed-only N]   (the speed lines on the first N speakers, then stop)
//       [--no-speed]       (each answer embedded once, with its candidate's: the figures without the timing passes)
//       [--dump FILE]      (every speaker's embeddings as JSON lines, for research on the rule; see Tools/research)
import AudioIO
import ExamCore
import Foundation
import SpeakerEmbedding
import SpeechDSP

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
  guard let i = arguments.firstIndex(of: "--" + name), i + 1 < arguments.count else { return nil }
  return arguments[i + 1]
}
do {
  try voices(
    manifest: option("manifest") ?? "../shared/data/speechocean762/scores.csv", part: option("part") ?? "tune",
    thresholds: (option("thresholds") ?? "0,0.5,1,1.5,2,2.5,3").split(separator: ",").compactMap { Double($0) },
    join: max(1, option("join").flatMap(Int.init) ?? 1),
    model: option("model") ?? "ExamPacks/models/ge2e-speaker-encoder.bin",
    cohortTop: option("cohort-top").flatMap(Int.init) ?? VoiceChangeRule().cohortTop,
    speedOnly: option("speed-only").flatMap(Int.init), timed: !arguments.contains("--no-speed"), dump: option("dump"))
} catch {
  FileHandle.standardError.write(Data("error: \(error)\n".utf8))
  exit(1)
}

/// The voice-change rule on real speakers: speechocean762's 125 speakers read 8 sentences each, as a candidate
/// gives 8 spoken answers. The speakers of the chosen part (sorted ids: even positions = tune, odd = test) sit
/// together: each one's answers are scored against the other answers of the part (the s-norm cohort). For each
/// speaker the rule runs on their own answers (a raised incident is a false alarm) and on their answers with one
/// (positions 2 and 6) replaced by another speaker's answer to the same position (an impostor; caught when an
/// incident names that item). The other speaker is drawn (seeded) from all speakers, and again from the same
/// gender and age band (children under 13, teenagers, adults): the harder case.
/// Prints one row per `minVoiceScore`, then the whole trade-off curve and the equal error rate, and the speed of
/// the embeddings beside SpeechDSP's MFCC speaker profile (the rule's previous input) on the same answers.
func voices(
  manifest: String, part: String, thresholds: [Double], join: Int, model: String, cohortTop: Int, speedOnly: Int?,
  timed: Bool, dump: String?
) throws {
  let table = try CSVTable(parsing: try String(contentsOfFile: manifest, encoding: .utf8), source: manifest)
  let folder = AtomicFile.parentOf(manifest)
  struct Speaker { var id: String; var gender: String; var band: Int; var files: [String] }
  var byId: [String: Speaker] = [:]
  for row in table.rows {
    let id = table.value(row, "speaker")
    let age = Int(table.value(row, "age")) ?? 0
    byId[
      id, default: Speaker(id: id, gender: table.value(row, "gender"), band: age < 13 ? 0 : age < 18 ? 1 : 2, files: [])
    ]
    .files.append(folder + "/" + table.value(row, "audio"))
  }
  let sortedIds = Array(byId.keys.sorted().prefix(speedOnly ?? byId.count))
  let chosen = sortedIds.enumerated().filter { part == "all" || ($0.offset % 2 == 0) == (part == "tune") }.map(
    \.element)
  let encoder = SpeakerEncoder(model: try SpeakerEncoderModel(path: model))
  // Every speaker's answers (impostors come from all speakers), timed side by side.
  var embeddings: [String: [VoiceEmbedding?]] = [:]
  var skipped = 0
  var audioSeconds = 0.0
  var profileCPU = 0.0, embedCPU = 0.0, batchCPU = 0.0, scanCPU = 0.0
  var pending: [[Float]] = []
  let scanBatch = 16  // ProctorScanner.answersPerTask
  for id in sortedIds {
    // With `join` > 1, consecutive recordings are joined into one longer answer (8 / join answers).
    let decoded = try byId[id]!.files.sorted().map { path throws(ExamError) in
      try decodeMono(path: path, targetSampleRate: SpeakerEncoder.sampleRateHz).samples
    }
    let answers = stride(from: 0, to: decoded.count - join + 1, by: join).map {
      Array(decoded[$0..<($0 + join)].joined())
    }
    audioSeconds += Double(answers.reduce(0) { $0 + $1.count }) / Double(SpeakerEncoder.sampleRateHz)
    guard timed else {
      let outcomes = encoder.embed(answers)
      embeddings[id] = outcomes.map { try? $0.get() }
      skipped += outcomes.filter { (try? $0.get()) == nil }.count
      continue
    }
    profileCPU += cpuSeconds {
      for a in answers { _ = a.withUnsafeBufferPointer { SpeechAnalyzer().speakerProfile(samples: $0) } }
    }
    var outcomes: [SpeakerEncoder.Outcome] = []
    embedCPU += cpuSeconds { outcomes = answers.map { encoder.embed($0) } }  // one answer at a time
    batchCPU += cpuSeconds { _ = encoder.embed(answers) }  // a candidate's answers in one network batch
    // `proctor scan`'s tasks: 16 answers (of several candidates) in one call.
    pending += answers
    while pending.count >= scanBatch || (id == sortedIds.last && !pending.isEmpty) {
      let group = Array(pending.prefix(scanBatch))
      pending.removeFirst(group.count)
      scanCPU += cpuSeconds { _ = encoder.embed(group) }
    }
    embeddings[id] = outcomes.map { try? $0.get() }
    skipped += outcomes.filter { (try? $0.get()) == nil }.count
  }
  func rate(_ cpu: Double) -> String {
    String(format: "%.0f× real time (%.2f ms per s of audio)", audioSeconds / cpu, 1000 * cpu / audioSeconds)
  }
  FileHandle.standardError.write(
    Data("\(Int(audioSeconds)) s of answers; \(skipped) answers with under 1 s of speech skipped\n".utf8))
  if timed {
    print("speed, one core, \(Int(audioSeconds)) s of answers (\(sortedIds.count) speakers × \(8 / join) answers):")
    print("- SpeechDSP MFCC speaker profile (before): \(rate(profileCPU))")
    print("- speaker embedding, one answer at a time: \(rate(embedCPU))")
    print("- speaker embedding, a candidate's answers batched: \(rate(batchCPU))")
    print("- speaker embedding, 16 answers batched (as proctor scan's tasks): \(rate(scanCPU))")
  }
  guard speedOnly == nil else { return }
  if let dump {
    struct Line: Encodable {
      var speaker: String, gender: String, band: Int, tune: Bool, position: Int, speechSeconds: Double, values: [Float]
    }
    var text = ""
    for (n, id) in sortedIds.enumerated() {
      for (position, e) in embeddings[id]!.enumerated() {
        guard let e else { continue }
        let line = Line(
          speaker: id, gender: byId[id]!.gender, band: byId[id]!.band, tune: n % 2 == 0, position: position,
          speechSeconds: e.speechSeconds, values: e.values)
        text += String(decoding: try JSONEncoder().encode(line), as: UTF8.self) + "\n"
      }
    }
    try text.write(toFile: dump, atomically: true, encoding: .utf8)
  }

  // The sitting's cohort for a candidate: the other chosen speakers' answers, limited as the rule limits it.
  let pool = chosen.flatMap { id in embeddings[id]!.compactMap { $0.map { (id, $0) } } }
  let limited = VoiceChangeRule.cohortIndexes(count: pool.count, limit: VoiceChangeRule.defaultCohortSize).map {
    pool[$0]
  }
  func cohort(excluding id: String) -> [VoiceEmbedding] { limited.filter { $0.0 != id }.map(\.1) }
  /// The candidate's answers with `position` replaced by `other`'s (or their own), the skipped ones left out.
  func answers(_ id: String, replacing position: Int? = nil, by other: String? = nil) -> (
    items: [Int], embeddings: [VoiceEmbedding]
  ) {
    var set = embeddings[id]!
    if let position, let other { set[position] = embeddings[other]![position] }
    let kept = set.indices.filter { set[$0] != nil }
    return (kept, kept.map { set[$0]! })
  }
  let rule = VoiceChangeRule(cohortTop: cohortTop)
  // Impostor cases: (speaker, position, other speaker), fixed by a seeded generator.
  var generator = SplitMix64(seed: 762)
  var cases: [(speaker: String, position: Int, any: String, similar: String?)] = []
  for id in chosen {
    let me = byId[id]!
    for position in [1, 5] where position < embeddings[id]!.count {
      let others = sortedIds.filter { $0 != id }
      let any = others[Int(generator.next() % UInt64(others.count))]
      let alike = others.filter { byId[$0]!.gender == me.gender && byId[$0]!.band == me.band }
      let similar = alike.isEmpty ? nil : alike[Int(generator.next() % UInt64(alike.count))]
      cases.append((id, position, any, similar))
    }
  }
  // Scores: each genuine candidate's lowest answer score (flagged when under the threshold), each impostor answer's.
  var genuineLowest: [Double] = []
  for id in chosen {
    let a = answers(id)
    genuineLowest.append(rule.scores(a.embeddings, cohort: cohort(excluding: id)).map(\.normalised).min() ?? .infinity)
  }
  func impostorScores(_ other: (Int) -> String?) -> [Double] {
    cases.indices.compactMap { k -> Double? in
      let c = cases[k]
      guard let o = other(k), embeddings[o]![c.position] != nil else { return nil }
      let a = answers(c.speaker, replacing: c.position, by: o)
      guard let at = a.items.firstIndex(of: c.position) else { return nil }
      return rule.scores(a.embeddings, cohort: cohort(excluding: c.speaker))[at].normalised
    }
  }
  let anyScores = impostorScores { cases[$0].any }
  let similarScores = impostorScores { cases[$0].similar }
  let count = embeddings[chosen[0]]!.count
  print(
    "\nspeechocean762 \(part) part: \(chosen.count) speakers × \(count) answers (\(join) recording(s) each); \(anyScores.count) / \(similarScores.count) impostor answers"
  )
  func pct(_ a: Int, _ b: Int) -> String {
    b == 0 ? "–" : String(format: "%.1f%% (%d/%d)", 100 * Double(a) / Double(b), a, b)
  }
  // An answer scoring under the threshold raises an incident (RecordingRules.voiceIncidents); a genuine candidate
  // is flagged when any answer does.
  print(
    "| minVoiceScore | genuine candidates flagged | impostor caught (any speaker) | impostor caught (same gender and age band) |"
  )
  print("|---:|---:|---:|---:|")
  for t in thresholds {
    let flagged = genuineLowest.filter { $0 < t }.count
    print(
      "| \(t) | \(pct(flagged, genuineLowest.count)) | \(pct(anyScores.filter { $0 < t }.count, anyScores.count)) | \(pct(similarScores.filter { $0 < t }.count, similarScores.count)) |"
    )
  }
  // The rule's default: the threshold set from the sitting's own scores (here the part's genuine candidates) for a
  // stated false-alarm rate (`SittingVoiceThreshold`, `proctor scan --voice-false-alarm-rate`).
  print("\nthe sitting's threshold (from the part's \(genuineLowest.count) candidates' lowest scores):")
  print(
    "| voice false-alarm rate | threshold | genuine candidates flagged | impostor caught (any speaker) | impostor caught (same gender and age band) |"
  )
  print("|---:|---:|---:|---:|---:|")
  for rate in [0.005, 0.01, 0.02, 0.03] {
    guard let s = SittingVoiceThreshold(lowestScores: genuineLowest, falseAlarmRate: rate) else { continue }
    let t = s.threshold
    print(
      "| \(rate * 100) % | \(String(format: "%.2f", t)) | \(pct(genuineLowest.filter { $0 < t }.count, genuineLowest.count)) | \(pct(anyScores.filter { $0 < t }.count, anyScores.count)) | \(pct(similarScores.filter { $0 < t }.count, similarScores.count)) |"
    )
  }
  // The whole trade-off: every threshold at which a figure changes.
  func below(_ scores: [Double], _ t: Double) -> Double {
    Double(scores.filter { $0 < t }.count) / Double(max(1, scores.count))
  }
  let points = Set(genuineLowest + anyScores + similarScores).sorted().map { $0 + 1e-9 }
  func eer(_ impostors: [Double]) -> (rate: Double, threshold: Double) {
    let best =
      points.min {
        abs(below(genuineLowest, $0) - (1 - below(impostors, $0)))
          < abs(below(genuineLowest, $1) - (1 - below(impostors, $1)))
      } ?? 0
    return ((below(genuineLowest, best) + 1 - below(impostors, best)) / 2, best)
  }
  let e1 = eer(anyScores), e2 = eer(similarScores)
  print(
    String(
      format:
        "\nequal error rate (genuine candidates flagged = impostors missed): any speaker %.1f%% (at %.2f), same gender and age band %.1f%% (at %.2f)",
      100 * e1.rate, e1.threshold, 100 * e2.rate, e2.threshold))
  print(
    "| genuine candidates flagged ≤ | minVoiceScore | impostor caught (any speaker) | impostor caught (same gender and age band) |"
  )
  print("|---:|---:|---:|---:|")
  for target in [0.0, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3] {
    guard let t = points.last(where: { below(genuineLowest, $0) <= target + 1e-12 }) else { continue }
    print(
      String(
        format: "| %.0f%% | %.2f | %.1f%% | %.1f%% |", 100 * target, t, 100 * below(anyScores, t),
        100 * below(similarScores, t)))
  }
}

/// CPU seconds of the calling thread spent in `body`.
func cpuSeconds(_ body: () -> Void) -> Double {
  var start = timespec(), end = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start)
  body()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end)
  return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
}
