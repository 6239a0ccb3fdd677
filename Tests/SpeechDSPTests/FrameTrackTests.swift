import Testing
import _ExamTestSupport

@testable import SpeechDSP

@Suite struct FrameTrackTests {
  @Test func tracksCoverEveryFrameAndFollowTheSignal() throws {
    // 0.5 s silence, 1 s of a 1 kHz tone (inside the 300–3400 Hz speech band), 0.5 s silence.
    let samples =
      TestSignal.silence(seconds: 0.5) + TestSignal.sine(hertz: 1_000, seconds: 1) + TestSignal.silence(seconds: 0.5)
    let track = try SpeechAnalyzer().frameTrack(samples: samples, sampleRate: 16_000)
    let n = track.f0Hz.count
    #expect(n == 200)
    #expect(track.speech.count == n && track.nucleusDB.count == n && track.bandDB.count == n && track.mfcc.count == n)
    #expect(track.mfcc.allSatisfy { $0.count == 13 })
    // Band power: the tone stands ≥ 60 dB over digital silence; c0 (log energy) follows it.
    #expect(track.bandDB[100] - track.bandDB[10] > 60)
    #expect(track.mfcc[100][0] > track.mfcc[10][0] + 10)
  }
}
