import AudioIO
import ExamCore

/// The per-frame tracks behind `SpeechFeatures`, for inspection and evaluation against other tools:
/// frame i is centred at `(i + 0.5) · step_s` seconds.
public struct FrameTrack: Sendable, Codable, Equatable {
  public var file: String
  /// s between frames.
  public var stepSeconds: Double
  /// Hz per frame, 0 where unvoiced.
  public var f0Hz: [Float]
  /// 1 where the frame is speech, else 0.
  public var speech: [UInt8]
  /// s, times of the syllable nuclei.
  public var nucleiSeconds: [Double]
  /// dB per frame, energy in the nucleus band (the contour syllable nuclei are picked on, before smoothing).
  public var nucleusDB: [Double] = []
  /// dB per frame, power in the speech band (300–3400 Hz; the contour voice activity works on).
  public var bandDB: [Double] = []
  /// Per frame, MFCC c0 … c12.
  public var mfcc: [[Float]] = []

  enum CodingKeys: String, CodingKey {
    case file
    case stepSeconds = "step_s"
    case f0Hz = "f0_hz"
    case speech
    case nucleiSeconds = "nuclei_s"
    case nucleusDB = "nucleus_db"
    case bandDB = "band_db"
    case mfcc
  }
}

extension SpeechAnalyzer {
  /// The frame-level tracks (F0, speech, syllable nuclei) of decoded audio at the analysis rate.
  /// - Throws: `ExamError.invalidInput` when the audio is not at the analysis rate.
  public func frameTrack(_ audio: DecodedAudio, file: String = "") throws(ExamError) -> FrameTrack {
    try frameTrack(samples: audio.samples, sampleRate: audio.sampleRate, file: file)
  }

  /// The frame-level tracks of mono samples at the analysis rate.
  public func frameTrack(samples: [Float], sampleRate: Int, file: String = "") throws(ExamError) -> FrameTrack {
    guard sampleRate == configuration.sampleRate else {
      throw ExamError(
        .invalidInput, file: file.isEmpty ? nil : file,
        "audio is at \(sampleRate) Hz; the analyzer works at \(configuration.sampleRate) Hz",
        fix: "decode with decodeMono(path:targetSampleRate: \(configuration.sampleRate))")
    }
    let m = measure(samples)
    let step = Double(configuration.hop) / Double(configuration.sampleRate)
    return FrameTrack(
      file: file, stepSeconds: step, f0Hz: m.f0, speech: m.speech.map { $0 ? 1 : 0 },
      nucleiSeconds: m.nuclei.map { (Double($0) + 0.5) * step }, nucleusDB: m.frames.nucleusDB,
      bandDB: m.frames.bandDB,
      mfcc: (0..<m.frames.count).map { i in
        Array(m.frames.mfcc[(i * SpectralFrames.coefficients)..<((i + 1) * SpectralFrames.coefficients)])
      })
  }
}
