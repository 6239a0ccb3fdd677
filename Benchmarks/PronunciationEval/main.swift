// pron-eval: scores speechocean762 with the Pronunciation module and reports agreement with the experts
// (phone, word and utterance level) and the aligner's speed. Usage: docs/accuracy.md, "Pronunciation".
//
//   cd Benchmarks && swift build -c release --product pron-eval
//   Benchmarks/.build/release/pron-eval [--data DIR] [--jobs N] [--limit N] [--beam 1e-48] [--all-senones yes|no]
//       [--topn 4] [--ds 1] [--margin 0.3] [--warps 1,0.7] [--warp-by pitch|fit] [--every-phone yes|no]
//       [--posterior-step 2] [--phones-csv FILE] [--durations] [--norms] [--wrong-prompts]
//       [--phone-model-out FILE] [--phone-model-trees 300] [--phone-model-depth 4] [--phone-model-feature-share 0.5]
//       [--phone-model-context-folds 4]   (0: no second, in-context stage)
//       [--bag-shown-marks yes|no]   (the marks shown: the mean of the other folds' models, as the product's five)
//       [--learner-frames yes|no] [--learner-model-out FILE] [--learner-hidden 256,256] [--learner-epochs 8]
//       [--learner-context 5] [--learner-min-mark 2] [--learner-rate 0.001] [--learner-per-answer yes|no]
//       [--encoder-frames yes|no] [--encoder-model-out FILE] [--encoder-hidden 256,256] [--encoder-epochs 8]
//       [--encoder-context 1] [--encoder-per-answer yes|no]
//       [--features-csv FILE]   (the feature table of `exam score batch`, for `exam score calibrate --features`)
//       [--cross-fitted-out FILE]   (the folds' models and the answers each left out: CrossFittedModels+Standard.swift)
import AudioIO
import ExamCore
import Foundation
import Pronunciation
import SpeechDSP
import SpeechEncoder

var options = EvalOptions()
do {
  try options.parse(Array(CommandLine.arguments.dropFirst()))
  var utterances = try Corpus.load(options.dataFolder)
  if let limit = options.limit, limit < utterances.count {
    let step = Double(utterances.count) / Double(limit)
    utterances = (0..<limit).map { utterances[Int(Double($0) * step)] }
  }
  var scorer = try PronunciationScorer.standard(extraLexicons: [options.dataFolder + "/lexicon.txt"])
  scorer.settings = options.settings
  // Phone marks and the learners' frame classifier come from the cross-validation below, never from a model that
  // saw these answers' marks or frames.
  scorer.phoneMarks = nil
  scorer.frameClassifier = nil
  scorer.encoderClassifier = nil
  scorer.crossFitted = nil
  let learnerFrames = options.learnerFrames && options.settings.scoresEveryPhone
  let encoderFrames = options.encoderFrames && options.settings.scoresEveryPhone
  if !encoderFrames { scorer.speechEncoder = nil }
  scorer.keepsFrames = learnerFrames || encoderFrames
  let started = Date()
  var scored = try await EvalRun.scoreAll(
    utterances, scorer: scorer, jobs: options.jobs, withFeatures: options.featuresCSV != nil,
    pitchPicksWarp: options.pitchPicksWarp)
  let wallSeconds = Date().timeIntervalSince(started)
  var learnerLines: [String] = []
  var learnerSource: String?
  var learnerFolds: (models: [Int: FrameClassifier], speakers: [String]) = ([:], [])
  if learnerFrames {
    let learner = LearnerFrameEval(
      report: EvalReport(utterances: utterances, scored: scored), settings: options.learnerSettings)
    let (measures, models, foldSeconds, _) = await learner.crossFitted(jobs: options.jobs)
    learnerFolds = (models, learner.answers.map { utterances[$0.utterance].speaker })
    learnerLines = learner.markdown(measures, foldSeconds: foldSeconds)
    if options.learnerModelOut != nil { learnerSource = try learner.standardSource() }
    for (index, phones) in measures where phones.count == scored[index].result.phones.count {
      for (k, measure) in phones.enumerated() {
        scored[index].result.phones[k].learner = measure
      }
    }
    for index in scored.indices { scored[index].result.alignedFrames = nil }
  }
  var encoderSource: String?
  var encoderFolds: [Int: FrameClassifier] = [:]
  if encoderFrames, let encoder = scorer.speechEncoder {
    learnerLines.append(try EvalRun.encoderSpeed(encoder, utterances))
  }
  if encoderFrames {
    var encoder = LearnerFrameEval(
      report: EvalReport(utterances: utterances, scored: scored), settings: options.encoderSettings, kind: .encoder)
    if let hop = scorer.speechEncoder?.model.hopSamples {
      encoder.frameSeconds = Double(hop) / Double(SpeechEncoder.sampleRate)
    }
    let (measures, models, foldSeconds, listening) = await encoder.crossFitted(jobs: options.jobs)
    encoderFolds = models
    // What the encoder's classifier hears without the text, from the fold that never heard the speaker: into the
    // result and the feature table (`pron_free_…`), as the scorer gives it.
    for (index, heard) in listening {
      scored[index].result.listening = heard
      if !scored[index].features.isEmpty { scored[index].features.merge(heard.namedValues) { $1 } }
    }
    learnerLines += encoder.markdown(measures, foldSeconds: foldSeconds)
    if options.encoderModelOut != nil { encoderSource = try encoder.standardSource() }
    for (index, phones) in measures where phones.count == scored[index].result.phones.count {
      for (k, measure) in phones.enumerated() {
        scored[index].result.phones[k].encoder = measure
      }
    }
    for index in scored.indices { scored[index].result.encoderFrames = nil }
  }
  var phoneMarks = PhoneMarkEval(report: EvalReport(utterances: utterances, scored: scored))
  phoneMarks.settings.trees = options.phoneModelTrees
  phoneMarks.settings.depth = options.phoneModelDepth
  phoneMarks.settings.featureShare = options.phoneModelFeatureShare
  phoneMarks.contextFolds = options.phoneModelContextFolds
  phoneMarks.bagsShownMarks = options.bagShownMarks
  // Each answer gets the marks of the fold that left its speaker out: its answer-level mark measures (and
  // --features-csv) are then what a model trained on other speakers gives.
  let crossValidated = options.settings.scoresEveryPhone ? phoneMarks.crossValidated() : [:]
  var marked = scored
  for (index, marks) in crossValidated {
    marked[index].result.setPhoneMarks(staged: marks)
    if !marked[index].features.isEmpty {
      marked[index].features.merge(marked[index].result.namedValues) { $1 }
    }
  }
  let report = EvalReport(utterances: utterances, scored: marked)
  print(report.markdown(settings: options.settings, wallSeconds: wallSeconds, jobs: options.jobs))
  if options.settings.scoresEveryPhone {
    print((learnerLines + phoneMarks.markdown(crossValidated, seconds: phoneMarks.foldSeconds)).joined(separator: "\n"))
  }
  if let path = options.learnerModelOut, let learnerSource { try AtomicFile.write(text: learnerSource, to: path) }
  if let path = options.encoderModelOut, let encoderSource { try AtomicFile.write(text: encoderSource, to: path) }
  if let path = options.phoneModelOut { try AtomicFile.write(text: try phoneMarks.standardSource(), to: path) }
  if let path = options.crossFittedOut {
    let source = try CrossFittedSource.make(
      learnerFolds: learnerFolds, encoderFolds: encoderFolds, phoneMarks: phoneMarks, utterances: utterances,
      scored: scored)
    try AtomicFile.write(text: source, to: path)
  }
  if let path = options.phonesCSV { try report.phonesCSV().write(toFile: path, atomically: true, encoding: .utf8) }
  if options.printDurations { print(report.durationTable()) }
  if options.printNorms { print(report.normsTable()) }
  if let path = options.featuresCSV {
    // The table `exam score batch` writes (id, features, error), for `exam score calibrate|evaluate --features`.
    let keys = SpeechFeatures.numericKeys + PronunciationResult.numericKeys
    var writer = CSVWriter(header: ["id"] + keys + ["error"])
    for (utterance, item) in zip(utterances, marked) {
      writer.append(
        [utterance.id] + keys.map { item.features[$0].map { NumberText.plain($0, decimals: 6) } ?? "" } + [""])
    }
    try AtomicFile.write(text: writer.text, to: path)
  }
  if options.wrongPrompts {
    var rotated = utterances
    for i in rotated.indices { rotated[i].text = utterances[(i + 1) % utterances.count].text }
    var wrongScorer = scorer
    wrongScorer.keepsFrames = false
    let wrong = try await EvalRun.scoreAll(
      rotated, scorer: wrongScorer, jobs: options.jobs, pitchPicksWarp: options.pitchPicksWarp)
    print(WrongPromptReport(right: marked.map(\.result), wrong: wrong.map(\.result)).markdown())
  }
} catch {
  FileHandle.standardError.write(Data("error: \(error)\n".utf8))
  exit(1)
}
