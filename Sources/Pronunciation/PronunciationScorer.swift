import AudioIO
import ExamCore
import Foundation
import SpeechEncoder

/// Scores the pronunciation of a read-aloud answer against its prompt: forced alignment of the prompt's
/// canonical phones with every senone scored, then GOP, duration and aggregates per phone, word and answer.
///
/// A value type that any task may share; the decoder is not: each task makes its own with `makeAligner()`.
public struct PronunciationScorer: Sendable {
  public var model: AcousticModel
  public var lexicon: Lexicon
  /// Pronunciations for words in no lexicon; nil reports them as unknown.
  public var letterToSound: LetterToSound?
  public var settings: AlignerSettings
  public var thresholds: PronunciationThresholds
  /// Predicts each phone's expert mark (`PhoneScore.mark`); nil leaves the marks out.
  public var phoneMarks: PhoneMarkModel?
  /// Classifies the aligned frames with a model trained on learners (`PhoneScore.learner`); nil leaves that
  /// out. Needs the every-phone measures (`AlignerSettings.scoresEveryPhone`).
  public var frameClassifier: FrameClassifier?
  /// The English speech encoder (`SpeechEncoder`, Moonshine base) whose frames `encoderClassifier` reads; nil leaves
  /// `PhoneScore.encoder` out.
  public var speechEncoder: SpeechEncoder?
  /// Classifies the speech encoder's frames into phones (a `FrameClassifier` trained on learners' encoder frames,
  /// `PhoneScore.encoder`); nil leaves that out.
  public var encoderClassifier: FrameClassifier?
  /// The folds of `frameClassifier`, `encoderClassifier` and `phoneMarks` (as `.standard`'s are of the standard models): for the answers
  /// those were trained on, models that did not see each one's speaker, used in their place (where they are set),
  /// so a training answer is measured as a new speaker's; for every other answer, the phones and words show the
  /// mean of the folds' marks (`CrossFittedModels.meanMarks`) while the answer's measures keep `phoneMarks`'s.
  public var crossFitted: CrossFittedModels?
  /// Keeps each answer's feature frames and alignment in `PronunciationResult.alignedFrames`, and its encoder frames
  /// in `encoderFrames` (for training).
  public var keepsFrames = false

  public init(
    model: AcousticModel, lexicon: Lexicon, letterToSound: LetterToSound? = LetterToSound(),
    settings: AlignerSettings = .standard, thresholds: PronunciationThresholds = .standard,
    phoneMarks: PhoneMarkModel? = .standard, frameClassifier: FrameClassifier? = .standard,
    speechEncoder: SpeechEncoder? = nil, encoderClassifier: FrameClassifier? = .standardEncoder,
    crossFitted: CrossFittedModels? = .standard
  ) {
    self.model = model
    self.lexicon = lexicon
    self.letterToSound = letterToSound
    self.settings = settings
    self.thresholds = thresholds
    self.phoneMarks = phoneMarks
    self.frameClassifier = frameClassifier
    self.speechEncoder = speechEncoder
    self.encoderClassifier = encoderClassifier
    self.crossFitted = crossFitted
  }

  /// The installed model with CMUdict, plus `extraLexicons` (e.g. speechocean762's lexicon.txt) on top, and the
  /// speech encoder (`SpeechEncoderModel.locate()`).
  public static func standard(extraLexicons: [String] = []) throws(ExamError) -> PronunciationScorer {
    let model = try AcousticModel.locate()
    return PronunciationScorer(
      model: model, lexicon: try Lexicon.load(model: model, extraPaths: extraLexicons),
      speechEncoder: SpeechEncoder(model: try SpeechEncoderModel.locate()))
  }

  /// A decoder with this scorer's settings, for one task.
  public func makeAligner() throws(ExamError) -> PhoneAligner { try PhoneAligner(model: model, settings: settings) }

  /// Each prompt word's pronunciations, or the words that have none.
  public func pronunciations(for prompt: PromptText) -> Result<[([[String]], WordScore.Source)], MissingReason> {
    var words: [([[String]], WordScore.Source)] = []
    var unknown: [String] = []
    for word in prompt.words {
      let known = lexicon.pronunciations(of: word.spoken)
      if !known.isEmpty {
        words.append((known, .lexicon))
      } else if let guessed = letterToSound?.phones(for: word.spoken) {
        words.append(([guessed], .letterToSound))
      } else {
        unknown.append(word.spoken)
      }
    }
    if prompt.words.isEmpty { return .failure(.emptyPrompt) }
    return unknown.isEmpty ? .success(words) : .failure(.unknownWords(unknown))
  }

  /// Decodes `path` to 16 kHz mono and scores it.
  /// - Throws: `ExamError` when the file cannot be read; everything about its content is a `MissingReason`.
  public func score(path: String, prompt: String, aligner: PhoneAligner) throws(ExamError) -> PronunciationResult {
    try score(decodeMono(path: path, targetSampleRate: 16_000), prompt: prompt, aligner: aligner)
  }

  /// Scores decoded audio (16 kHz mono) against `prompt`.
  /// - Parameter medianPitchHz: the answer's median F0 (SpeechDSP's `f0_median_hz`), which picks the vocal-tract
  ///   warp; nil decodes at every warp and keeps the best fit (`PhoneAligner.align`).
  /// - Throws: `ExamError` only when a wide-beam decoder for the retry cannot be made.
  public func score(
    _ audio: DecodedAudio, prompt promptText: String, aligner: PhoneAligner, medianPitchHz: Double? = nil
  ) throws(ExamError) -> PronunciationResult {
    let prompt = PromptText(promptText)
    let words: [([[String]], WordScore.Source)]
    switch pronunciations(for: prompt) {
    case .success(let found): words = found
    case .failure(let reason): return .missing(reason, prompt: prompt)
    }
    guard audio.original.sampleRate >= 16_000, audio.sampleRate == 16_000 else {
      return .missing(.sampleRateTooLow(hertz: min(audio.original.sampleRate, audio.sampleRate)), prompt: prompt)
    }
    let region: SpeechRegion
    switch speechRegion(of: audio) {
    case .success(let found): region = found
    case .failure(let reason): return .missing(reason, prompt: prompt)
    }
    let models = learnedModels(forSamples: audio.samples)
    // The encoder hears the decoded region, as the aligner does: the segments count from its start. Its cost is
    // about half the answer's, so only when something reads its frames.
    let heard = hear(audio.samples[region.samples], classifier: models.encoderClassifier)
    func missing(_ reason: MissingReason, decodedSeconds: Double, retried: Bool = false) -> PronunciationResult {
      var result = PronunciationResult.missing(reason, prompt: prompt, decodedSeconds: decodedSeconds, retried: retried)
      result.listening = heard?.listening
      if keepsFrames, let frames = heard?.frames.featureFrames {
        result.encoderFrames = AlignedFrames(frames: frames, segments: [])
      }
      return result
    }
    let decodedSeconds = Double(region.samples.count) / 16_000
    let neededSeconds = Double(words.reduce(0) { $0 + ($1.0.map(\.count).min() ?? 0) }) * 0.03
    if decodedSeconds < neededSeconds {
      return missing(.tooShort(seconds: decodedSeconds, needed: neededSeconds), decodedSeconds: decodedSeconds)
    }
    let pcm = Self.pcm16(audio.samples[region.samples])
    let variants = words.map(\.0)
    var retried = false
    var alignment = pcm.withUnsafeBufferPointer { aligner.align($0, words: variants, medianPitchHz: medianPitchHz) }
    if alignment == nil {
      retried = true
      // Only the warp the pitch picked, when it picked one: the retry need not load the others.
      var wideSettings = aligner.settings.widened
      if let warp = wideSettings.warp(forPitchHz: medianPitchHz) { wideSettings.frequencyWarps = [warp] }
      let wide = try PhoneAligner(model: model, settings: wideSettings)
      alignment = pcm.withUnsafeBufferPointer { wide.align($0, words: variants, medianPitchHz: medianPitchHz) }
    }
    guard let alignment, let chosen = Self.chosenPronunciations(alignment.segments, variants) else {
      return missing(.alignmentFailed, decodedSeconds: decodedSeconds, retried: retried)
    }
    let offsetFrames = region.samples.lowerBound / 160
    let learner = alignment.frames.flatMap { models.classifier?.phoneEvidence($0, segments: alignment.segments) }
    let encoded = heard.flatMap { heard in
      heard.frames.featureFrames.map { AlignedFrames(frames: $0, segments: heard.frames.segments(alignment.segments)) }
    }
    var encoder: [LearnerEvidence?]? = nil
    if let heard, let encoded, let classifier = models.encoderClassifier, let logPosteriors = heard.logPosteriors {
      encoder = classifier.phoneEvidence(
        logPosteriors: logPosteriors, frameCount: heard.frames.frameCount, segments: encoded.segments)
    }
    let (marker, heldOut) = (models.marker, models.heldOut)
    var result = assemble(
      alignment.segments, learner: learner, encoder: encoder, chosen: chosen, prompt: prompt,
      sources: words.map(\.1), offsetFrames: offsetFrames)
    // A new speaker's phones show the folds' mean marks; its answer's measures need only `marker`'s first stage.
    if !heldOut, let evidence = marker?.evidence(for: result.phones),
      let shown = crossFitted?.meanMarks(for: result.phones)
    {
      result.setPhoneMarks(staged: PhoneMarkModel.StagedMarks(evidence: evidence, marks: shown))
    } else {
      result.setPhoneMarks(staged: marker?.stagedMarks(for: result.phones))
    }
    if keepsFrames, let frames = alignment.frames {
      result.alignedFrames = AlignedFrames(frames: frames, segments: alignment.segments)
      result.encoderFrames = encoded
    }
    result.listening = heard?.listening
    result.retriedWithWideBeams = retried
    result.frequencyWarp = alignment.frequencyWarp
    result.decodedSeconds = decodedSeconds
    if let features = result.features, thresholds.rejects(features) {
      result.features = nil
      result.missing = .promptNotSpoken(
        completeness: features.completeness, meanGOP: features.meanGOP, meanLogPosterior: features.meanLogPosterior)
    }
    return result
  }

  /// The part of `audio` the aligner decodes and the encoder hears (quiet beyond the margin trimmed), or why there
  /// is none: silence, or steady noise without speech's contrast.
  func speechRegion(of audio: DecodedAudio) -> Result<SpeechRegion, MissingReason> {
    let region = audio.samples.withUnsafeBufferPointer {
      SpeechRegion($0, sampleRate: audio.sampleRate, marginSeconds: settings.silenceMarginSeconds)
    }
    if region.loudestFrameDBFS < SpeechRegion.silenceDBFS {
      return .failure(.silent(loudestFrameDBFS: region.loudestFrameDBFS))
    }
    if region.levelRangeDB < SpeechRegion.minimumRangeDB {
      return .failure(.noSpeechContrast(rangeDB: region.levelRangeDB))
    }
    return .success(region)
  }

  /// What the speech encoder and its phone classifier make of an answer's speech region: the encoder's frames,
  /// every frame's log posteriors and the text-free measures of them. Nil without an encoder, when nothing would
  /// read its frames (no classifier and no frames kept), or when the region is too short for one frame.
  func hear(_ samples: ArraySlice<Float>, classifier: FrameClassifier?) -> (
    frames: EncodedFrames, logPosteriors: [Float]?, listening: ListeningMeasures?
  )? {
    guard let speechEncoder, classifier != nil || keepsFrames else { return nil }
    let frames = speechEncoder.encode(Array(samples))
    guard let features = frames.featureFrames else { return nil }
    let logPosteriors = classifier?.logPosteriors(features)
    var listening: ListeningMeasures? = nil
    if let classifier, let logPosteriors {
      listening = ListeningMeasures.measure(
        logPosteriors: logPosteriors, classes: classifier.classes, frameSeconds: frames.hopSeconds)
    }
    return (frames, logPosteriors, listening)
  }

  /// What the speech encoder's phone classifier hears in `audio` (16 kHz mono) without a text
  /// (`ListeningMeasures`), over the speech region the aligner would decode: for open answers. Nil when the answer
  /// is silent or steady noise, too short for one encoder frame, or the scorer has no encoder or classifier.
  public func listen(_ audio: DecodedAudio) -> ListeningMeasures? {
    guard audio.sampleRate == 16_000, audio.original.sampleRate >= 16_000,
      case .success(let region) = speechRegion(of: audio)
    else { return nil }
    let classifier = learnedModels(forSamples: audio.samples).encoderClassifier
    guard classifier != nil else { return nil }
    return hear(audio.samples[region.samples], classifier: classifier)?.listening
  }

  /// Samples in [-1, 1] as the 16-bit integers the decoder takes (clipped).
  static func pcm16<C: Collection<Float>>(_ samples: C) -> [Int16] {
    samples.map { Int16(max(-32_768, min(32_767, ($0 * 32_768).rounded()))) }
  }

  /// Which pronunciation of each word the aligner took: the phone segments, in order, split into words.
  static func chosenPronunciations(_ segments: [AlignedSegment], _ words: [[[String]]]) -> [[String]]? {
    let phones = segments.map(\.phone).filter { $0 != "SIL" }
    func match(_ word: Int, _ position: Int) -> [[String]]? {
      if word == words.count { return position == phones.count ? [] : nil }
      for variant in words[word] where phones[position...].starts(with: variant) {
        if let rest = match(word + 1, position + variant.count) { return [variant] + rest }
      }
      return nil
    }
    return match(0, 0)
  }

  /// The learned models an answer is measured with.
  struct LearnedModels {
    var classifier: FrameClassifier?
    var encoderClassifier: FrameClassifier?
    var marker: PhoneMarkModel?
    /// The models are a fold's that did not see the answer's speaker (one of their training answers).
    var heldOut: Bool
  }

  /// The classifiers and phone-mark model for an answer's decoded `samples`: `frameClassifier`,
  /// `encoderClassifier` and `phoneMarks`, or for one of the answers they were trained on (`heldOut`),
  /// `crossFitted`'s models that did not see its speaker (each only where this scorer has its own: a scorer
  /// without marks stays without them).
  func learnedModels(forSamples samples: [Float]) -> LearnedModels {
    let own = LearnedModels(
      classifier: frameClassifier, encoderClassifier: encoderClassifier, marker: phoneMarks, heldOut: false)
    guard frameClassifier != nil || encoderClassifier != nil || phoneMarks != nil, let crossFitted,
      let fold = crossFitted.fold(for: SampleDigest.of(samples))
    else { return own }
    return LearnedModels(
      classifier: frameClassifier.map { fold.frameClassifier ?? $0 },
      encoderClassifier: encoderClassifier.map { fold.encoderClassifier ?? $0 },
      marker: phoneMarks.map { fold.phoneMarks ?? $0 }, heldOut: true)
  }

  /// `learner` and `encoder`: per phone, what the frame classifier and the encoder's classifier say of it. The
  /// phones' marks are set after.
  private func assemble(
    _ segments: [AlignedSegment], learner: [LearnerEvidence?]?, encoder: [LearnerEvidence?]?, chosen: [[String]],
    prompt: PromptText, sources: [WordScore.Source], offsetFrames: Int
  ) -> PronunciationResult {
    var phones: [PhoneScore] = []
    var words: [WordScore] = []
    var phoneSegments = segments.filter { $0.phone != "SIL" }.makeIterator()
    for (index, pronunciation) in chosen.enumerated() {
      var wordPhones: [PhoneScore] = []
      for (position, _) in pronunciation.enumerated() {
        guard let segment = phoneSegments.next() else { break }
        let phoneIndex = phones.count + wordPhones.count
        let duration = Double(segment.frameCount) / 100
        let gop = Double(segment.acousticScore) * PhoneAligner.natsPerScoreUnit / Double(segment.frameCount)
        wordPhones.append(
          PhoneScore(
            phone: segment.phone, wordIndex: index, startSeconds: Double(segment.startFrame + offsetFrames) / 100,
            durationSeconds: duration,
            gop: gop, normalisedGOP: PhoneNorms.normalisedGOP(gop, phone: segment.phone),
            durationRatio: duration / PhoneNorms.expectedSeconds(segment.phone),
            isVowel: PhoneNorms.vowels.contains(segment.phone), isWordFinal: position == pronunciation.count - 1,
            logPosterior: segment.evidence?.logPosterior, margin: segment.evidence?.margin,
            likeliestPhone: segment.evidence?.likeliestPhone, learner: learner?[phoneIndex],
            encoder: encoder?[phoneIndex], meanLogPosteriors: segment.evidence?.meanLogPosteriors))
      }
      let gops = wordPhones.map(\.gop)
      let meanGOP = PronunciationFeatures.mean(gops)
      let start = wordPhones.first?.startSeconds ?? 0
      let end = wordPhones.last.map { $0.startSeconds + $0.durationSeconds } ?? start
      words.append(
        WordScore(
          text: prompt.words[index].spoken, tokenIndex: prompt.words[index].tokenIndex, phones: pronunciation,
          source: sources[index], startSeconds: start, durationSeconds: end - start, meanGOP: meanGOP,
          minimumGOP: gops.min() ?? 0, isAdequate: meanGOP >= thresholds.adequateWordGOP))
      phones += wordPhones
    }
    let features = PronunciationFeatures(phones: phones, words: words, segments: segments, thresholds: thresholds)
    return PronunciationResult(
      prompt: prompt, words: words, phones: phones, features: features, missing: nil, retriedWithWideBeams: false,
      decodedSeconds: 0, frequencyWarp: nil)
  }
}
