import SpeechDSP

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Speaker embeddings of 16 kHz mono answers, as resemblyzer's `VoiceEncoder.embed_utterance` makes them:
///
/// 1. preprocessing (resemblyzer's `preprocess_wav`): the level raised (never lowered) to −30 dBFS RMS, then long
///    non-speech stretches cut out. resemblyzer finds them with webrtcvad (30 ms windows, moving average of 8,
///    then 3 windows of margin); here SpeechDSP's voice activity finds them (`speech_s`, 10 ms frames) and
///    non-speech more than 90 ms (the same margin) from speech is dropped: one speech definition in ExamKit.
/// 2. 40-band mel power frames (`MelSpectrogram`: 25 ms, 10 ms hop, librosa's Slaney filterbank, no log);
/// 3. partial utterances of 160 frames (1.6 s) every 77 frames (rate 1.3 per second), the last one kept if it
///    covers ≥ 75 % of its window with signal (the signal is zero-padded to its end);
/// 4. each partial through the network (`LSTMForward`), their mean L2-normalised.
///
/// A value type holding the shared immutable model: use one encoder from many tasks.
public struct SpeakerEncoder: Sendable {
  public let model: SpeakerEncoderModel
  /// Answers with less speech than this (seconds, SpeechDSP's `speech_s`) get no embedding.
  public var minimumSpeechSeconds = 1.0
  /// Partials run through the network together: more share each read of the weights (faster), and memory grows
  /// by ≈ 0.5 MB per partial (the first layer's projection of its frames, the gates of 16 steps).
  public var maximumBatch = 64

  public static let sampleRateHz = 16_000
  static let hop = 160
  static let windowLength = 400
  static let targetDBFS = -30.0
  static let partialStep = 77
  static let minimumCoverage = 0.75
  /// Non-speech this close to speech (10 ms frames) is kept, as resemblyzer's VAD margin (3 × 30 ms).
  static let speechMarginFrames = 9

  public init(model: SpeakerEncoderModel) { self.model = model }

  /// What the encoder made of one answer: an embedding, or the reason there is none.
  public typealias Outcome = Result<VoiceEmbedding, VoiceSkipReason>

  /// The embedding of one answer of 16 kHz mono samples.
  public func embed(_ samples: [Float]) -> Outcome { embed([samples])[0] }

  /// Embeddings of several answers; their partials share network batches (faster than one at a time: give a
  /// candidate's answers, or a few dozen answers, together).
  public func embed(_ answers: [[Float]]) -> [Outcome] {
    var outcomes = [Outcome?](repeating: nil, count: answers.count)
    // Each answer's mel frames and partial starts; a batch holds whole answers up to `maximumBatch` partials (an
    // answer with more is split).
    var pieces: [(answer: Int, frames: ArraySlice<Float>, starts: [Int])] = []
    var speech = [Double](repeating: 0, count: answers.count)
    let bands = model.melBands, window = model.partialFrames
    for (a, samples) in answers.enumerated() {
      let prepared = prepare(samples)
      speech[a] = prepared.speechSeconds
      guard prepared.speechSeconds >= minimumSpeechSeconds else {
        outcomes[a] = .failure(.tooLittleSpeech(seconds: prepared.speechSeconds, needed: minimumSpeechSeconds))
        continue
      }
      let partials = partialMels(prepared.samples)
      for first in stride(from: 0, to: partials.starts.count, by: max(1, maximumBatch)) {
        let starts = Array(partials.starts[first..<min(partials.starts.count, first + max(1, maximumBatch))])
        let range = (starts.first! * bands)..<((starts.last! + window) * bands)
        pieces.append((a, partials.frames[range], starts.map { $0 - starts.first! }))
      }
    }
    let e = model.embeddingSize
    var sums = [[Float]](repeating: [], count: answers.count)
    var counts = [Int](repeating: 0, count: answers.count)
    var next = 0
    while next < pieces.count {
      // The network on as many pieces as fit in one batch.
      var frames: [Float] = [], starts: [Int] = [], owners: [Int] = []
      while next < pieces.count, owners.isEmpty || owners.count + pieces[next].starts.count <= maximumBatch {
        let offset = frames.count / bands
        frames += pieces[next].frames
        starts += pieces[next].starts.map { $0 + offset }
        owners += [Int](repeating: pieces[next].answer, count: pieces[next].starts.count)
        next += 1
      }
      let embeddings = LSTMForward.embed(frames: frames, starts: starts, model: model)
      for (p, a) in owners.enumerated() {
        if sums[a].isEmpty { sums[a] = [Float](repeating: 0, count: e) }
        for k in 0..<e { sums[a][k] += embeddings[p * e + k] }
        counts[a] += 1
      }
    }
    // Mean of each answer's partials, normalised.
    for a in answers.indices where outcomes[a] == nil {
      outcomes[a] = .success(
        VoiceEmbedding(values: VoiceEmbedding.normalised(sums[a]), speechSeconds: speech[a], partials: counts[a]))
    }
    return outcomes.map { $0! }
  }

  /// resemblyzer's preprocessing (see the type's summary): the level raised to −30 dBFS, long non-speech cut.
  func prepare(_ samples: [Float]) -> (samples: [Float], speechSeconds: Double) {
    let normalised = Self.raiseLevel(samples)
    let flags = normalised.withUnsafeBufferPointer { SpeechAnalyzer().speechFrames(samples: $0) }
    let speechFrames = flags.reduce(0) { $0 + ($1 ? 1 : 0) }
    let keep = Self.dilate(flags, by: Self.speechMarginFrames)
    var kept: [Float] = []
    kept.reserveCapacity(normalised.count)
    for (f, k) in keep.enumerated() where k {
      let range = (f * Self.hop)..<min(normalised.count, (f + 1) * Self.hop)
      kept += normalised[range]
    }
    // Samples past the last whole frame follow the last frame's decision.
    if keep.last == true, keep.count * Self.hop < normalised.count { kept += normalised[(keep.count * Self.hop)...] }
    return (kept, Double(speechFrames) * Double(Self.hop) / Double(Self.sampleRateHz))
  }

  /// resemblyzer's `normalize_volume(wav, -30, increase_only=True)`.
  static func raiseLevel(_ samples: [Float]) -> [Float] {
    guard !samples.isEmpty else { return samples }
    let meanSquare = samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(samples.count)
    guard meanSquare > 0 else { return samples }
    let change = targetDBFS - 10 * log10(meanSquare)
    guard change > 0 else { return samples }
    let gain = Float(pow(10, change / 20))
    return samples.map { $0 * gain }
  }

  /// Flags set within `margin` of a set flag.
  static func dilate(_ flags: [Bool], by margin: Int) -> [Bool] {
    var out = [Bool](repeating: false, count: flags.count)
    for (i, f) in flags.enumerated() where f {
      for j in max(0, i - margin)...min(flags.count - 1, i + margin) { out[j] = true }
    }
    return out
  }

  /// resemblyzer's `compute_partial_slices` (rate 1.3, min coverage 0.75): the mel frames of the signal, zero-padded
  /// to the end of the last partial, and each partial's first frame (a partial is `model.partialFrames` frames).
  func partialMels(_ samples: [Float]) -> (frames: [Float], starts: [Int]) {
    let window = model.partialFrames
    let frameCount = (samples.count + 1 + Self.hop - 1) / Self.hop  // ceil((n + 1) / hop)
    let steps = max(1, frameCount - window + Self.partialStep + 1)
    var starts = Array(stride(from: 0, to: steps, by: Self.partialStep))
    if starts.count > 1, let last = starts.last {
      let coverage = Double(samples.count - last * Self.hop) / Double(window * Self.hop)
      if coverage < Self.minimumCoverage { starts.removeLast() }
    }
    let padded = samples + [Float](repeating: 0, count: max(0, (starts.last! + window) * Self.hop - samples.count))
    let mel = MelSpectrogram(
      sampleRateHz: Self.sampleRateHz, windowLength: Self.windowLength, hop: Self.hop, bands: model.melBands)
    var frames = padded.withUnsafeBufferPointer { mel.frames($0) }
    // Frames past the last partial's end (the centred framing's extra frame) are never read.
    frames.removeLast(max(0, frames.count - (starts.last! + window) * model.melBands))
    return (frames, starts)
  }
}

/// The encoder's mel front end on its own (for tests against librosa).
enum MelSpectrogramProbe {
  static func frames(_ samples: [Float]) -> [Float] {
    let mel = MelSpectrogram(
      sampleRateHz: SpeakerEncoder.sampleRateHz, windowLength: SpeakerEncoder.windowLength,
      hop: SpeakerEncoder.hop, bands: 40)
    return samples.withUnsafeBufferPointer { mel.frames($0) }
  }
}
