import AudioIO
import ExamCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Measures a recorded answer: levels, voice activity and pauses, syllable nuclei and rates, F0, MFCC,
/// and similarity to a reference reading. A value type: each call builds its own FFT buffers (plans are
/// shared), so one analyzer may be used from many tasks at once.
public struct SpeechAnalyzer: Sendable {
  public var configuration: AnalyzerConfiguration

  /// The default configuration (16 kHz, 10 ms frames, the settings in docs/accuracy.md).
  public init() { configuration = AnalyzerConfiguration() }

  public init(configuration: AnalyzerConfiguration) { self.configuration = configuration }

  /// Decodes `path` (and `referencePath`) to mono at the analysis rate and measures it.
  /// - Throws: `ExamError` from decoding (`.notFound`, `.unsupportedFormat`, `.corrupt`).
  public func analyze(path: String, referencePath: String? = nil) throws(ExamError) -> SpeechFeatures {
    let audio = try decodeMono(path: path, targetSampleRate: configuration.sampleRate)
    let reference = try referencePath.map { (p) throws(ExamError) in
      try decodeMono(path: p, targetSampleRate: configuration.sampleRate)
    }
    return try analyze(audio, reference: reference, file: path)
  }

  /// Measures decoded audio at the analysis rate (`configuration.sampleRate`, 16 kHz by default).
  /// - Parameters:
  ///   - reference: the pack's reference reading, for `ref_distance`, `ref_coverage`, `ref_f0_correlation`.
  ///   - file: the name reported in `SpeechFeatures.file`.
  /// - Throws: `ExamError.invalidInput` when the audio is at another rate.
  public func analyze(_ audio: DecodedAudio, reference: DecodedAudio? = nil, file: String = "") throws(ExamError)
    -> SpeechFeatures
  {
    var features = try analyze(
      samples: audio.samples, sampleRate: audio.sampleRate, reference: reference?.samples,
      referenceSampleRate: reference?.sampleRate, file: file)
    features.sourceSampleRate = audio.original.sampleRate
    return features
  }

  /// Measures mono samples in [-1, 1] at `sampleRate` Hz (which must be the analysis rate).
  /// - Throws: `ExamError.invalidInput` when a rate differs from `configuration.sampleRate`.
  public func analyze(
    samples: [Float], sampleRate: Int, reference: [Float]? = nil, referenceSampleRate: Int? = nil, file: String = ""
  ) throws(ExamError) -> SpeechFeatures {
    for rate in [sampleRate, referenceSampleRate ?? configuration.sampleRate] where rate != configuration.sampleRate {
      throw ExamError(
        .invalidInput, file: file.isEmpty ? nil : file,
        "audio is at \(rate) Hz; the analyzer works at \(configuration.sampleRate) Hz",
        fix: "decode with decodeMono(path:targetSampleRate: \(configuration.sampleRate)) or call analyze(path:)")
    }
    let answer = measure(samples)
    var features = answer.features
    features.file = file
    if let reference {
      let other = measure(reference)
      let similarity = ReferenceSimilarity(answer: answer, reference: other, configuration: configuration)
      features.refDistance = similarity.distance
      features.refCoverage = similarity.coverage
      features.refF0Correlation = similarity.f0Correlation
    }
    return features
  }

  /// Everything measured on one signal, kept for comparison with a reference.
  struct Measurement {
    var features: SpeechFeatures
    var frames: SpectralFrames
    var speech: [Bool]
    var f0: [Float]
    /// Frame indices of syllable nuclei.
    var nuclei: [Int]
  }

  func measure(_ samples: [Float]) -> Measurement {
    let c = configuration
    let hop = c.hop
    let step = Double(hop) / Double(c.sampleRate)
    let duration = Double(samples.count) / Double(c.sampleRate)
    var features = SpeechFeatures(file: "", durationSeconds: duration, sourceSampleRate: c.sampleRate)
    return samples.withUnsafeBufferPointer { buffer in
      // Levels
      let levels = LevelMeter.measure(buffer, sampleRate: c.sampleRate)
      if levels.rms > 0 { features.rmsDBFS = 20 * log10(levels.rms) }
      if levels.peak > 0 { features.peakDBFS = 20 * log10(levels.peak) }
      features.clippingRatio = levels.clippedFraction
      features.dcOffset = levels.dcOffset
      features.zeroRunCount = levels.zeroRunCount
      features.zeroRunLongestSeconds = levels.zeroRunLongestSeconds

      // Spectra, voice activity, pauses
      let frames = makeSpectralAnalyzer().analyze(buffer)
      // Pitch
      let f0 = makePitchTracker().track(buffer, frameCount: frames.count)
      let vad = VoiceActivity(bandDB: frames.bandDB, voiced: f0.map { $0 > 0 }, configuration: c)
      let speechFrames = vad.speech.reduce(0) { $0 + ($1 ? 1 : 0) }
      features.speechRatio = frames.count > 0 ? Double(speechFrames) / Double(frames.count) : 0
      features.speechSeconds = Double(speechFrames) * step
      let pauses = vad.pauses(step: step, minimumPause: c.minimumPause, duration: duration)
      features.pauseCount = pauses.count
      features.pauseMeanSeconds = Statistics.mean(pauses.lengths)
      features.pauseLongestSeconds = pauses.lengths.max() ?? 0
      features.pauseTotalSeconds = pauses.lengths.reduce(0, +)
      features.leadingSilenceSeconds = pauses.leading
      features.trailingSilenceSeconds = pauses.trailing
      features.snrDB = SpeechAnalyzer.snr(powerDB: frames.powerDB, speech: vad.speech)

      let voiced = f0.filter { $0 > 0 }.map(Double.init).sorted()
      features.voicedFraction = frames.count > 0 ? Double(voiced.count) / Double(frames.count) : 0
      if speechFrames > 0 {
        let voicedSpeech = zip(f0, vad.speech).reduce(0) { $0 + ($1.0 > 0 && $1.1 ? 1 : 0) }
        features.voicedSpeechFraction = Double(voicedSpeech) / Double(speechFrames)
      }
      if !voiced.isEmpty {
        let median = Statistics.quantile(sorted: voiced, 0.5)
        features.f0MedianHz = median
        features.f0IQRSemitones =
          12 * log2(Statistics.quantile(sorted: voiced, 0.75) / Statistics.quantile(sorted: voiced, 0.25))
        features.f0RangeSemitones =
          12 * log2(Statistics.quantile(sorted: voiced, 0.95) / Statistics.quantile(sorted: voiced, 0.05))
      }

      // Syllables and rates
      let nuclei = SyllableNuclei.find(intensityDB: frames.nucleusDB, speech: vad.speech, f0: f0, configuration: c)
      features.syllableCount = nuclei.count
      features.speechRate = duration > 0 ? Double(nuclei.count) / duration : 0
      if speechFrames > 0 {
        // Phonation time as in de Jong & Wempe: the speech runs between pauses, short gaps included.
        let phonation = Double(pauses.runs.reduce(0) { $0 + $1.count }) * step
        features.articulationRate = Double(nuclei.count) / phonation
        features.meanLengthOfRun = Double(nuclei.count) / Double(max(1, pauses.runs.count))
      }
      features.speakerProfile = SpeechAnalyzer.speakerProfile(frames: frames, f0: f0)
      return Measurement(features: features, frames: frames, speech: vad.speech, f0: f0, nuclei: nuclei)
    }
  }

  func makeSpectralAnalyzer() -> SpectralAnalyzer {
    let c = configuration
    return SpectralAnalyzer(
      sampleRate: c.sampleRate, hop: c.hop, nucleusBand: c.nucleusBandLow...c.nucleusBandHigh,
      nucleusSubbands: c.nucleusSubbands)
  }

  func makePitchTracker() -> PitchTracker {
    PitchTracker(sampleRate: configuration.sampleRate, hop: configuration.hop, configuration: configuration)
  }

  /// The `speaker_profile` feature alone, for callers that compare voices (Proctoring): MFCC frames and pitch of
  /// mono samples at the analysis rate, without voice activity, syllables or levels.
  /// - Returns: the 25 values of `SpeechFeatures.speakerProfile` (empty when no frame is voiced) and the number of
  ///   voiced frames they were made from.
  public func speakerProfile(samples: UnsafeBufferPointer<Float>) -> (values: [Double], voicedFrames: Int) {
    let frames = makeSpectralAnalyzer().analyze(samples)
    let f0 = makePitchTracker().track(samples, frameCount: frames.count)
    return (SpeechAnalyzer.speakerProfile(frames: frames, f0: f0), f0.reduce(0) { $0 + ($1 > 0 ? 1 : 0) })
  }

  /// dB: mean power of speech frames over mean power of non-speech frames (or of the quietest 10 % when all
  /// frames are speech), signal power taken net of noise.
  static func snr(powerDB: [Double], speech: [Bool]) -> Double? {
    var speechPower = 0.0
    var speechCount = 0
    var noisePower = 0.0
    var noiseCount = 0
    for (db, isSpeech) in zip(powerDB, speech) {
      let power = pow(10, db / 10)
      if isSpeech {
        speechPower += power
        speechCount += 1
      } else {
        noisePower += power
        noiseCount += 1
      }
    }
    guard speechCount > 0 else { return nil }
    if noiseCount < max(5, powerDB.count / 20) {
      let quiet = powerDB.sorted().prefix(max(1, powerDB.count / 10))
      noisePower = quiet.reduce(0) { $0 + pow(10, $1 / 10) }
      noiseCount = quiet.count
    }
    let noise = noisePower / Double(noiseCount)
    let signal = speechPower / Double(speechCount) - noise
    guard noise > 1e-15, signal > 0 else { return noise <= 1e-15 ? 150 : nil }
    return min(150, 10 * log10(signal / noise))
  }

  /// Mean and standard deviation of MFCC 1–12 over voiced frames, then log2 of the median F0.
  static func speakerProfile(frames: SpectralFrames, f0: [Float]) -> [Double] {
    let nc = SpectralFrames.coefficients
    var sum = [Double](repeating: 0, count: nc - 1)
    var sumSquares = [Double](repeating: 0, count: nc - 1)
    var count = 0
    var voiced: [Double] = []
    for i in 0..<frames.count where f0[i] > 0 {
      count += 1
      voiced.append(Double(f0[i]))
      for k in 1..<nc {
        let x = Double(frames.mfcc[i * nc + k])
        sum[k - 1] += x
        sumSquares[k - 1] += x * x
      }
    }
    guard count > 0 else { return [] }
    let means = sum.map { $0 / Double(count) }
    let deviations = zip(sumSquares, means).map { max(0, $0 / Double(count) - $1 * $1).squareRoot() }
    return means + deviations + [log2(Statistics.quantile(sorted: voiced.sorted(), 0.5))]
  }
}
