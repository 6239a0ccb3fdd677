import ArgumentParser
import ExamCore
import ExamStorage
import Foundation
import Proctoring
import SpeakerEmbedding

extension ExamCommand {
  struct ProctorScan: ExamSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "scan",
      abstract:
        "Analyse the stored recordings of an exam and raise incidents (no response, device faults, duplicates, voice changes).",
      discussion: """
        Every current recording is decoded from the content store and measured: level and device faults
        (silence, clipping, digital zeros, dropouts, noise floor), an audio fingerprint (the same audio
        submitted for two candidates, even re-encoded or with another gain), and a speaker embedding (a
        different voice among one candidate's answers; the GE2E encoder of --voice-model, answers with under
        1 s of speech are not compared). Items are scanned one at a time: a copy is looked for
        among the answers to the same item. Analyses are cached by digest, so a second scan only analyses new
        recordings. The same finding is never raised twice. --events re-runs the event rules.

        A voice change is an answer unlike the candidate's other answers (its cosine with their mean voice,
        s-normalised against other candidates' answers in the sitting). The threshold is set from the sitting's
        own scores so that about --voice-false-alarm-rate of genuine candidates (default 1 %) are flagged; with
        fewer than 30 candidates, or with --min-voice-score, a fixed threshold is used instead (lower raises
        fewer false alarms and catches fewer impostors). The trade-off on real speakers is in docs/accuracy.md.

        Example:
          exam proctor scan --exam SH-2026-EL --jobs 2
        """)

    static let runsOnPostgres = true

    @OptionGroup var global: GlobalOptions
    @Option(help: "The exam to scan.") var exam: String
    @Option(help: "Recordings analysed at once (default 2).") var jobs = 2
    @Option(help: "Share of genuine candidates the voice-change rule may flag, 0 < P < 0.5 (default 0.01).")
    var voiceFalseAlarmRate = RecordingRuleSettings().voiceFalseAlarmRate ?? 0.01
    @Option(
      help:
        "A fixed voice-change threshold (s-normalised score) instead of the sitting's (default for sittings under 30 candidates: \(RecordingRuleSettings().minVoiceScore))."
    )
    var minVoiceScore: Double?
    @Option(
      help: "Speaker encoder model (default: $EXAM_VOICE_MODEL, else \(ProctorScan.defaultVoiceModel) when present).")
    var voiceModel: String?
    @Flag(help: "Also re-run the event rules.") var events = false
    @Flag(help: "Print the outcome as JSON.") var json = false

    func validate() throws {
      if jobs < 1 { throw ValidationError("'--jobs' must be at least 1 (got \(jobs)).") }
      if let minVoiceScore, !minVoiceScore.isFinite {
        throw ValidationError(
          "'--min-voice-score' must be a number (got \(minVoiceScore)); leave it out to use the sitting's threshold, or give e.g. \(RecordingRuleSettings().minVoiceScore)."
        )
      }
      if !(voiceFalseAlarmRate > 0 && voiceFalseAlarmRate < 0.5) {
        throw ValidationError(
          "'--voice-false-alarm-rate' must be a share between 0 and 0.5 (got \(voiceFalseAlarmRate)); 0.01 flags about 1 genuine candidate in 100."
        )
      }
    }

    var auditArguments: [String] {
      ["--exam", exam]
        + (minVoiceScore.map { ["--min-voice-score", "\($0)"] }
          ?? ["--voice-false-alarm-rate", "\(voiceFalseAlarmRate)"])
    }

    static let defaultVoiceModel = "ExamPacks/models/ge2e-speaker-encoder.bin"

    func run(_ context: CommandContext) async throws {
      let store = context.proctoringStore
      _ = try await store.requireExam(id: exam)
      var scanner = ProctorScanner(store: store, examId: exam)
      if let minVoiceScore {
        scanner.recordingRules.settings.minVoiceScore = minVoiceScore
        scanner.recordingRules.settings.voiceFalseAlarmRate = nil
      } else {
        scanner.recordingRules.settings.voiceFalseAlarmRate = voiceFalseAlarmRate
      }
      // The model named (option or environment) must load; the default one may be absent (rule off, said so).
      let named = voiceModel ?? ProcessInfo.processInfo.environment["EXAM_VOICE_MODEL"]
      if let path = named
        ?? (FileManager.default.fileExists(atPath: Self.defaultVoiceModel) ? Self.defaultVoiceModel : nil)
      {
        scanner.speakerEncoder = SpeakerEncoder(model: try SpeakerEncoderModel(path: path))
      } else if !json {
        ProgressReporter.writeError(
          "warning: no speaker encoder model (\(Self.defaultVoiceModel) is absent): voice changes are not checked; give --voice-model\n"
        )
      }
      var added: [Incident] = []
      if events {
        let e = try await scanner.scanEvents(
          raisedBy: context.operatorName,
          audit: context.audit("event rules raised new incidents", arguments: ["--exam", exam, "--events"]))
        added += e.added
        if !json {
          context.say("event rules: \(e.found) finding(s) in \(e.roomsScanned) room(s), \(e.added.count) new")
        }
      }
      let total = try await store.recordings(examId: exam, currentOnly: true).count
      let reporter = ProgressTracker(label: "recordings", enabled: !context.quiet)
      let r = try await scanner.scanRecordings(
        contentStore: context.contentStore, jobs: jobs, raisedBy: context.operatorName,
        audit: context.audit("recording rules raised new incidents"),
        progress: { done in reporter.update(completed: done, total: total) })
      added += r.added
      if json {
        print(
          JSONOutput.string(
            ProctorScanReport(
              recordings: r.recordingsScanned, analysed: r.recordingsAnalysed, findings: r.found,
              added: added, unreadable: r.unreadable.map(\.description))))
      } else {
        for e in r.unreadable { ProgressReporter.writeError("warning: \(e)\n") }
        context.say(
          "recordings: \(r.recordingsScanned) scanned (\(r.recordingsAnalysed) analysed now), \(r.found) finding(s), \(r.added.count) new incident(s)"
        )
        for i in added { context.say("  #\(i.id ?? 0) \(i.rule): \(i.comment)") }
      }
    }
  }

  struct ProctorScanReport: Encodable {
    var recordings: Int, analysed: Int, findings: Int
    var added: [Incident]
    var unreadable: [String]
  }
}
