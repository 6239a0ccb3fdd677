/// One stretch of a forced alignment: a phone of the prompt or an optional silence.
public struct AlignedSegment: Sendable, Equatable {
  /// ARPAbet phone without stress (`AA` … `ZH`), or `SIL`.
  public var phone: String
  /// First 10 ms frame, counted from the start of the decoded audio.
  public var startFrame: Int
  /// Frames (10 ms each), at least 1.
  public var frameCount: Int
  /// The decoder's acoustic score for the segment (pocketsphinx units, see `PhoneAligner.natsPerScoreUnit`).
  /// With every senone scored, each frame's senone scores are relative to that frame's best senone, so this is
  /// the aligned path's log likelihood minus the best senone's, summed over the frames (≤ 0; 0 is perfect).
  public var acousticScore: Int32
  /// What scoring the segment's frames against every phone says (nil when not measured).
  var evidence: PhoneEvidence?

  public init(phone: String, startFrame: Int, frameCount: Int, acousticScore: Int32) {
    self.phone = phone
    self.startFrame = startFrame
    self.frameCount = frameCount
    self.acousticScore = acousticScore
  }

  /// The acoustic score of `segments` (phones and silences) per frame, in pocketsphinx units; nil without frames.
  static func scorePerFrame(_ segments: [AlignedSegment]) -> Double? {
    let frames = segments.reduce(0) { $0 + $1.frameCount }
    return frames > 0 ? Double(segments.reduce(0) { $0 + Int($1.acousticScore) }) / Double(frames) : nil
  }
}
