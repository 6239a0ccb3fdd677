import ExamCore

/// Features of every answer in a manifest, measured in parallel, with the failures kept apart.
public enum ManifestFeatures {
  public struct Failure: Sendable, Equatable {
    public var entry: ManifestEntry
    public var error: ExamError
    public init(entry: ManifestEntry, error: ExamError) {
      self.entry = entry
      self.error = error
    }
  }

  /// Measures every entry with at most `jobs` in flight.
  public static func measure(
    _ entries: [ManifestEntry], extractor: some FeatureExtractor, jobs: Int,
    progress: (Int) -> Void = { _ in }
  ) async -> (samples: [CalibrationSample], failures: [Failure]) {
    let results = await FeatureBatch.extract(entries, with: extractor, jobs: jobs, progress: progress)
    var samples: [CalibrationSample] = []
    var failures: [Failure] = []
    for (entry, result) in zip(entries, results) {
      switch result {
      case .success(let features):
        samples.append(
          CalibrationSample(
            id: entry.id, speaker: entry.speaker, text: entry.text, features: features, ageYears: entry.ageYears))
      case .failure(let error):
        failures.append(Failure(entry: entry, error: error.inFile(entry.audioPath)))
      }
    }
    return (samples, failures)
  }

  /// The features of `entries` read from a table `exam score batch` wrote (`FeatureTable`) instead of measured;
  /// an entry the table lacks is a failure.
  /// - Throws: `ExamError` when the table cannot be read.
  public static func load(_ entries: [ManifestEntry], fromTable path: String) throws -> (
    samples: [CalibrationSample], failures: [Failure]
  ) {
    let table = try FeatureTable.load(path: path)
    var samples: [CalibrationSample] = []
    var failures: [Failure] = []
    for e in entries {
      if let f = table[e.id] {
        samples.append(CalibrationSample(id: e.id, speaker: e.speaker, text: e.text, features: f, ageYears: e.ageYears))
      } else {
        failures.append(Failure(entry: e, error: ExamError(.notFound, file: path, "no features for '\(e.id)'")))
      }
    }
    return (samples, failures)
  }

  /// Keeps the samples that have at least one human rating, in order; names how many lacked one.
  public static func rated(_ samples: [CalibrationSample], _ ratings: HumanRatings) -> (
    rated: [CalibrationSample], unrated: Int
  ) {
    let rated = samples.filter { s in ratings.aspects.contains { ratings.mean(s.id, $0) != nil } }
    return (rated, samples.count - rated.count)
  }
}
