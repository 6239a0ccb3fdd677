extension SpeechAnalyzer {
  /// Voice activity alone: one flag per 10 ms frame (frame i covers samples i·hop ..< (i + 1)·hop), the same
  /// definition as `speech_s` and the pauses (spectral frames, pitch, `VoiceActivity`), without syllables or
  /// levels. For callers that keep only the speech of an answer (the speaker encoder).
  public func speechFrames(samples: UnsafeBufferPointer<Float>) -> [Bool] {
    let frames = makeSpectralAnalyzer().analyze(samples)
    let f0 = makePitchTracker().track(samples, frameCount: frames.count)
    return VoiceActivity(bandDB: frames.bandDB, voiced: f0.map { $0 > 0 }, configuration: configuration).speech
  }
}
