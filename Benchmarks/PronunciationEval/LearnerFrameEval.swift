import ExamCore
import Foundation
import Pronunciation

/// `FrameClassifier` cross-fitted by speaker: per fold, a classifier trained on the other four folds' answers
/// measures the fold's phones, so every phone's learner measures come from a model that never heard its speaker —
/// as the shipped model meets a new speaker. `PhoneMarkEval` then trains and tests on those measures.
///
/// The same for either classifier of the scorer: the learners' frame classifier over the aligner's feature frames
/// (`Kind.learner`), or the speech encoder's phone classifier over the encoder's frames (`Kind.encoder`).
struct LearnerFrameEval {
  enum Kind {
    case learner, encoder

    var frames: KeyPath<PronunciationResult, AlignedFrames?> {
      self == .learner ? \.alignedFrames : \.encoderFrames
    }
    var name: String { self == .learner ? "learner frames" : "encoder frames" }
    var title: String { self == .learner ? "learners' frame classifier" : "speech encoder's phone classifier" }
    var option: String { self == .learner ? "--learner-model-out" : "--encoder-model-out" }
    var standardName: String { self == .learner ? "standard" : "standardEncoder" }
    var standard: FrameClassifier? { self == .learner ? FrameClassifier.standard : FrameClassifier.standardEncoder }
  }

  let report: EvalReport
  var settings: FrameClassifier.Settings
  let kind: Kind
  /// Seconds between the frames classified (the speech encoder's hop for `.encoder`): for the text-free measures.
  var frameSeconds = 0.01
  /// Answers whose phones all carry the every-phone measures and whose frames were kept, with the experts' marks.
  let answers: [(utterance: Int, phones: [PhoneScore], marks: [Double?])]

  init(report: EvalReport, settings: FrameClassifier.Settings, kind: Kind = .learner) {
    self.report = report
    self.settings = settings
    self.kind = kind
    answers = PhoneMarkEval.markedAnswers(report).filter {
      report.scored[$0.utterance].result[keyPath: kind.frames] != nil
    }
  }

  private func training(_ selected: [(utterance: Int, phones: [PhoneScore], marks: [Double?])])
    -> [FrameClassifier.TrainingAnswer]
  {
    selected.compactMap { answer in
      report.scored[answer.utterance].result[keyPath: kind.frames].map { ($0, answer.marks) }
    }
  }

  /// Per answer index, each phone's measures by the classifier of the fold that left its speaker out; the folds
  /// train side by side, `jobs` at a time. Also the seconds one fold took.
  func crossFitted(jobs: Int) async -> (
    measures: [Int: [LearnerEvidence?]], models: [Int: FrameClassifier], foldSeconds: Double,
    listening: [Int: ListeningMeasures]
  ) {
    let speakers = answers.map { report.utterances[$0.utterance].speaker }
    let folds = Statistics.speakerFolds(speakers, folds: 5)
    let started = Date()
    var models: [Int: FrameClassifier] = [:]
    var listening: [Int: ListeningMeasures] = [:]
    typealias FoldResult = ([Int: [LearnerEvidence?]], [Int: ListeningMeasures], Int, FrameClassifier?)
    let measured = await withTaskGroup(of: FoldResult.self) { group in
      var merged: [Int: [LearnerEvidence?]] = [:]
      func add(_ result: FoldResult) {
        merged.merge(result.0) { $1 }
        listening.merge(result.1) { $1 }
        models[result.2] = result.3
      }
      for fold in 0..<5 {
        if fold >= jobs, let done = await group.next() { add(done) }
        let training = training(zip(answers, speakers).filter { folds[$0.1] != fold }.map(\.0))
        let held = zip(answers, speakers).filter { folds[$0.1] == fold }.map(\.0.utterance)
        group.addTask { [settings, report, kind, frameSeconds] in
          guard let model = FrameClassifier.train(answers: training, settings: settings) else {
            return ([:], [:], fold, nil)
          }
          FileHandle.standardError.write(Data("\(kind.name): fold \(fold + 1) of 5 trained\n".utf8))
          var measures: [Int: [LearnerEvidence?]] = [:]
          var heard: [Int: ListeningMeasures] = [:]
          for utterance in held {
            guard let aligned = report.scored[utterance].result[keyPath: kind.frames],
              let logPosteriors = model.logPosteriors(aligned.frames)
            else { continue }
            measures[utterance] = model.phoneEvidence(
              logPosteriors: logPosteriors, frameCount: aligned.frames.frameCount, segments: aligned.segments)
            // What the scorer's `listen` computes for the answer, with the model that never heard its speaker.
            if kind == .encoder {
              heard[utterance] = ListeningMeasures.measure(
                logPosteriors: logPosteriors, classes: model.classes, frameSeconds: frameSeconds)
            }
          }
          return (measures, heard, fold, model)
        }
      }
      for await done in group { add(done) }
      return merged
    }
    return (measured, models, Date().timeIntervalSince(started) * Double(min(jobs, 5)) / 5, listening)
  }

  /// Phone-level agreement of the cross-fitted log posterior alone with the experts, by age band.
  func markdown(_ measures: [Int: [LearnerEvidence?]], foldSeconds: Double) -> [String] {
    // The matched phones that have a measure, with it.
    let measured = report.phones.compactMap { row in
      measures[row.utterance]?[row.phoneIndex].map { (row, $0.logPosterior) }
    }
    let bands: [(Int) -> Bool] = [{ _ in true }, { $0 < 13 }, { $0 >= 18 }]
    let cells = bands.map { inBand -> String in
      let rows = measured.filter { inBand(report.utterances[$0.0.utterance].age) }
      return String(format: "%.3f", Statistics.pearson(rows.map(\.1), rows.map(\.0.label.meanMark)))
    }
    // What the classifier costs at run time: the standard model over every answer's frames, one core.
    var frames = 0
    let clock = ContinuousClock()
    let time = clock.measure {
      for item in report.scored {
        guard let aligned = item.result[keyPath: kind.frames],
          kind.standard?.phoneEvidence(aligned.frames, segments: aligned.segments) != nil
        else { continue }
        frames += aligned.frames.frameCount
      }
    }
    let auc = Statistics.auc(measured.map { -$0.1 }, positive: measured.map(\.0.label.majorityWrong))
    return [
      String(
        format:
          "| %@: log posterior of the canonical phone alone (%@ hidden units, %d epochs, ±%d frames; speaker-disjoint 5-fold cross-fitting, %.0f s a fold; all / < 13 / adults) | %@ | %.3f |",
        kind.title, settings.hiddenUnits.map(String.init).joined(separator: "×"), settings.epochs,
        settings.contextFrames,
        foldSeconds, cells.joined(separator: " / "), auc),
      String(
        format:
          "classifying %d frames of %d answers with the standard %@: %.3f s on one core",
        frames, answers.count, kind.title, time.inSeconds),
    ]
  }

  /// The classifier trained on every answer, as the generated Swift source of `FrameClassifier.standard`.
  func standardSource() throws -> String {
    let progress = { (epoch: Int, loss: Double) in
      FileHandle.standardError.write(
        Data(
          String(
            format: "%@: standard model, epoch %d of %d, loss %.3f\n", kind.name, epoch, settings.epochs, loss
          )
          .utf8))
    }
    guard let model = FrameClassifier.train(answers: training(answers), settings: settings, progress: progress) else {
      throw CorpusError("no answer with kept frames and the experts' marks: run with --every-phone yes")
    }
    return try GeneratedModel.source(
      model, option: kind.option, name: kind.standardName,
      summary: "The \(kind.title) trained on the frames of all of speechocean762's answers (phones every expert"
        + " marked correct).")
  }
}
