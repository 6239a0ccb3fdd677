import SpeechEncoder

/// The English speech encoder's frames of an answer with the alignment counted in them: what the encoder's phone
/// classifier (`PronunciationScorer.encoderClassifier`, a `FrameClassifier` over the encoder's 416 values a frame)
/// reads, and trains on.
extension EncodedFrames {
  /// The encoder's frames as `FeatureFrames` (one row per 24 ms frame); nil without frames.
  var featureFrames: FeatureFrames? {
    frameCount > 0 ? FeatureFrames(values: values, frameCount: frameCount) : nil
  }

  /// The aligner's segments (10 ms frames from the start of the encoded samples) counted in this encoder's frames:
  /// each takes the frames whose centres fall inside it, or, when none does (a phone shorter than a frame), the
  /// one nearest its middle. Acoustic scores are kept.
  func segments(_ aligned: [AlignedSegment]) -> [AlignedSegment] {
    aligned.map { segment in
      let span =
        frames(from: Double(segment.startFrame) / 100, to: Double(segment.startFrame + segment.frameCount) / 100)
        ?? 0...0
      return AlignedSegment(
        phone: segment.phone, startFrame: span.lowerBound, frameCount: span.count, acousticScore: segment.acousticScore)
    }
  }
}
