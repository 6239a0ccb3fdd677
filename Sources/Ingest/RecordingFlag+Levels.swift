import SpeechDSP

extension RecordingFlag {
  /// The level flags a recording earns by SpeechDSP's `LevelMeter` definitions (the ones the scorer and proctoring
  /// use too): silent, clipped, zero-run.
  static func flags(for levels: LevelMeasurement) -> [RecordingFlag] {
    var flags: [RecordingFlag] = []
    if levels.isSilent { flags.append(.silent) }
    if levels.isClipped { flags.append(.clipped) }
    if levels.hasZeroRun { flags.append(.zeroRun) }
    return flags
  }
}
