import Foundation
import Testing
import _ExamTestSupport

@testable import SpeechDSP

@Suite struct FFTAndDTWTests {
  @Test(arguments: [64, 512, 1024])
  func parsevalHolds(size: Int) {
    var rng = SplitMix64(seed: 0xE7A1)
    let fft = RealFFT(size: size)
    var timeEnergy: Double = 0
    for i in 0..<size {
      let x = Float.random(in: -1...1, using: &rng)
      fft.input[i] = x
      timeEnergy += Double(x * x)
    }
    fft.forward()
    var spectralEnergy = Double(fft.power(0)) + Double(fft.power(size / 2))
    for k in 1..<(size / 2) { spectralEnergy += 2 * Double(fft.power(k)) }
    spectralEnergy /= Double(size)
    #expect(abs(spectralEnergy - timeEnergy) / timeEnergy < 1e-4)
  }

  @Test func inverseUndoesForward() {
    var rng = SplitMix64(seed: 7)
    let fft = RealFFT(size: 256)
    let x = (0..<256).map { _ in Float.random(in: -1...1, using: &rng) }
    for i in 0..<256 { fft.input[i] = x[i] }
    fft.forward()
    fft.inverse()
    #expect((0..<256).allSatisfy { abs(fft.input[$0] / 256 - x[$0]) < 1e-5 })
  }

  @Test func plansAreSharedAcrossTasks() async {
    // Many tasks making FFTs of the same sizes at once: plans are made under the lock, results agree.
    let sums = await withTaskGroup(of: Float.self) { group in
      for _ in 0..<8 {
        group.addTask {
          let fft = RealFFT(size: 2048)
          for i in 0..<2048 { fft.input[i] = Float(i % 7) }
          fft.forward()
          return fft.power(3)
        }
      }
      return await group.reduce(into: [Float]()) { $0.append($1) }
    }
    #expect(Set(sums).count == 1)
  }

  func sequence(_ n: Int, seed: UInt64) -> [Float] {
    var rng = SplitMix64(seed: seed)
    // A smooth random walk in 4 dimensions.
    var out: [Float] = []
    var state: [Float] = [0, 0, 0, 0]
    for _ in 0..<n {
      for k in 0..<4 { state[k] += Float.random(in: -0.3...0.3, using: &rng) }
      out += state
    }
    return out
  }

  @Test func selfDistanceIsZero() {
    let a = sequence(200, seed: 1)
    let dtw = BandedDTW(a, a, dimension: 4, band: 10)
    #expect(dtw.distance == 0)
    #expect(dtw.path.count == 200)
  }

  @Test func stretchedCopyAligns() {
    let a = sequence(150, seed: 2)
    // b: a played at 2/3 speed (each frame of a repeated 1 or 2 times).
    var b: [Float] = []
    var mapping: [Int] = []
    for i in 0..<150 {
      let repeats = i % 2 == 0 ? 2 : 1
      for _ in 0..<repeats {
        b += a[(i * 4)..<(i * 4 + 4)]
        mapping.append(i)
      }
    }
    let dtw = BandedDTW(a, b, dimension: 4, band: 8)
    #expect(dtw.distance < 1e-6)
    #expect(dtw.path.allSatisfy { mapping[$0.1] == $0.0 })
    let other = BandedDTW(a, sequence(225, seed: 3), dimension: 4, band: 8)
    #expect(other.distance > 0.3)
  }

  @Test func bandKeepsMemoryLinear() {
    // 3,000 × 3,000 frames would need 9 M cells unbanded; the band keeps it to n·(2·band+1).
    let a = sequence(3_000, seed: 4)
    let dtw = BandedDTW(a, a, dimension: 4, band: 20)
    #expect(dtw.distance == 0)
  }

  @Test func referenceReadingOfItselfIsAPerfectMatch() throws {
    var samples = TestSignal.noise(seconds: 0.3, amplitude: 0.001)
    for k in 0..<5 {
      samples +=
        SyntheticSpeech.vowel(f0: 120 + Double(k) * 20, seconds: 0.25)
        + TestSignal.noise(seconds: 0.1, amplitude: 0.001, seed: UInt64(k))
    }
    let f = try analyze(samples, reference: samples)
    #expect(f.refDistance == 0)
    #expect(f.refCoverage == 1)
    #expect((f.refF0Correlation ?? 0) > 0.99)
    let noise = try analyze(
      TestSignal.noise(seconds: 0.3, amplitude: 0.001) + TestSignal.noise(seconds: 1.5, amplitude: 0.2, seed: 8),
      reference: samples)
    #expect((noise.refDistance ?? 0) > 0.5)
    #expect((noise.refCoverage ?? 1) < 0.5)
  }
}
