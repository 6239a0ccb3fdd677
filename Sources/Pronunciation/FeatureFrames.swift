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
    var moments = DimensionMoments(dimensions: dimensions)
    for frame in 0..<frameCount { moments.add(self, frame: frame) }
    let means = moments.means
    let deviations = moments.deviations(floor: 1e-3)
    var standardised = values
    for index in standardised.indices {
      let d = index % dimensions
      standardised[index] = Float((Double(values[index]) - means[d]) / deviations[d])
    }
    return FeatureFrames(values: standardised, frameCount: frameCount)
  }
}

/// Per-dimension sums of frames added one at a time, for their means and standard deviations (population).
struct DimensionMoments {
  private var sums: [Double]
  private var squares: [Double]
  private(set) var count = 0

  init(dimensions: Int) {
    sums = [Double](repeating: 0, count: dimensions)
    squares = sums
  }

  mutating func add(_ frames: FeatureFrames, frame: Int) {
    let first = frame * sums.count
    for d in sums.indices {
      let value = Double(frames.values[first + d])
      sums[d] += value
      squares[d] += value * value
    }
    count += 1
  }

  var means: [Double] { sums.map { $0 / Double(count) } }

  /// Standard deviations, none below `floor` (a constant dimension would otherwise divide by 0).
  func deviations(floor: Double) -> [Double] {
    zip(squares, means).map { square, mean in max((square / Double(count) - mean * mean).squareRoot(), floor) }
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
