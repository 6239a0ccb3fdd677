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

  /// Each dimension standardised over these frames (per-answer cepstral mean and variance normalisation): what is
  /// left is less the speaker and the recording chain, more the phones. A constant dimension becomes 0.
  public func standardisedPerDimension() -> FeatureFrames {
    let dimensions = self.dimensions
    var sums = [Double](repeating: 0, count: dimensions)
    var squares = [Double](repeating: 0, count: dimensions)
    for (index, value) in values.enumerated() {
      sums[index % dimensions] += Double(value)
      squares[index % dimensions] += Double(value) * Double(value)
    }
    let count = Double(frameCount)
    let means = sums.map { $0 / count }
    let deviations = zip(squares, means).map { square, mean in max((square / count - mean * mean).squareRoot(), 1e-3) }
    var standardised = values
    for index in standardised.indices {
      let d = index % dimensions
      standardised[index] = Float((Double(values[index]) - means[d]) / deviations[d])
    }
    return FeatureFrames(values: standardised, frameCount: frameCount)
  }
}

/// An answer's frames with the alignment that placed the prompt's phones on them (`PronunciationScorer.keepsFrames`):
/// what a frame classifier is trained on.
public struct AlignedFrames: Sendable, Equatable {
  public var frames: FeatureFrames
  /// Phones and silences in time order; the phones are `PronunciationResult.phones`, in the same order.
  public var segments: [AlignedSegment]

  public init(frames: FeatureFrames, segments: [AlignedSegment]) {
    self.frames = frames
    self.segments = segments
  }
}
