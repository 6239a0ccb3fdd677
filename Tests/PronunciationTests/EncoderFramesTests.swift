import Testing

@testable import Pronunciation
@testable import SpeechEncoder

/// The aligner's 10 ms segments counted in the speech encoder's 24 ms frames.
@Suite struct EncoderFramesTests {
  // Frame i's centre is at 0.028 + 0.024 i s (Moonshine base: 895 samples seen, 384 apart).
  let frames = EncodedFrames(
    frameCount: 10, width: 1, values: (0..<10).map(Float.init), hopSeconds: 0.024, firstCentreSeconds: 0.028)

  @Test func eachSegmentTakesTheFramesCentredInIt() {
    let aligned = [
      AlignedSegment(phone: "SIL", startFrame: 0, frameCount: 5, acousticScore: -1),  // 0-50 ms: frame 0 (28 ms)
      AlignedSegment(phone: "AA", startFrame: 5, frameCount: 12, acousticScore: -2),  // 50-170 ms: frames 1-5
      AlignedSegment(phone: "T", startFrame: 18, frameCount: 1, acousticScore: -3),  // 180-190 ms: none; nearest 7
      AlignedSegment(phone: "SIL", startFrame: 19, frameCount: 200, acousticScore: -4),  // frames 7-9, then the end
    ]
    let counted = frames.segments(aligned)
    #expect(counted.map(\.startFrame) == [0, 1, 7, 7])
    #expect(counted.map(\.frameCount) == [1, 5, 1, 3])
    #expect(counted.map(\.phone) == aligned.map(\.phone))
    #expect(counted.map(\.acousticScore) == aligned.map(\.acousticScore))
  }

  @Test func framesBecomeFeatureFrames() {
    #expect(frames.featureFrames?.frameCount == 10)
    #expect(frames.featureFrames?.dimensions == 1)
    let none = EncodedFrames(frameCount: 0, width: 4, values: [], hopSeconds: 0.024, firstCentreSeconds: 0.028)
    #expect(none.featureFrames == nil)
  }
}
