/// The front end's feature frames of an answer, as the acoustic model scored them: `frameCount` rows of
/// `dimensions` values (the model's streams side by side), 10 ms apart, counted as `AlignedSegment`s count them.
public struct FeatureFrames: Sendable, Equatable {
  public var values: [Float]
  public var frameCount: Int

  public init(values: [Float], frameCount: Int) {
    precondition(frameCount > 0 && values.count % frameCount == 0, "feature values do not fill whole frames")
    self.values = values
    self.frameCount = frameCount
  }

  public var dimensions: Int { values.count / frameCount }
}

/// An answer's frames with the alignment that placed the prompt's phones on them (`PronunciationScorer.keepsFrames`):
/// what a frame classifier is trained on.
public struct AlignedFrames: Sendable, Equatable {
  public var frames: FeatureFrames
  /// Phones and silences in time order; the phones are `PronunciationResult.phones`, in the same order.
  public var segments: [AlignedSegment]
}
