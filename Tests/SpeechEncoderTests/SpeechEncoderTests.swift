import ExamCore
import Foundation
import Testing
import _ExamTestSupport

@testable import SpeechEncoder

/// The committed model (ExamPacks/models/moonshine-base-encoder.bin) run in Swift against onnxruntime's output of
/// the original `encoder_model.ort` on the same fixed signal (Tools/convert-speech-encoder.py --fixture).
@Suite("SpeechEncoder: against onnxruntime") struct SpeechEncoderTests {
  struct Reference: Decodable {
    var frames: Int
    var width: Int
    var columnStep: Int
    var values: [Float]
  }

  static let modelPath = SharedData.repositoryRoot + "/ExamPacks/models/moonshine-base-encoder.bin"
  static let model: SpeechEncoderModel = try! SpeechEncoderModel(path: modelPath)

  /// One second of the converter's test signal: gliding harmonics, a slow tremolo, a little LCG noise.
  static func testSignal() -> [Float] {
    var phase = 0.0
    var state: Int64 = 12345
    var out = [Float](repeating: 0, count: 16_000)
    for n in 0..<16_000 {
      phase += 120 + 60 * Double(n) / 16_000
      let angle = 2 * Double.pi * phase / 16_000
      var x = 0.0
      for k in 1...11 { x += 0.3 / Double(k) * sin(Double(k) * angle) }
      let tremolo = sin(2 * Double.pi * 3 * Double(n) / 16_000)
      x *= 0.5 + 0.5 * tremolo * tremolo
      state = (1_103_515_245 * state + 12345) % (1 << 31)
      out[n] = Float(x + 0.02 * (Double(state) / Double(1 << 31) - 0.5))
    }
    return out
  }

  @Test func matchesTheOriginalModelFrameByFrame() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/encoder-reference.json")
    let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    let encoded = SpeechEncoder(model: Self.model).encode(Self.testSignal())
    #expect(encoded.frameCount == reference.frames)
    #expect(encoded.width == reference.width)
    let columns = stride(from: 0, to: reference.width, by: reference.columnStep).map { $0 }
    var largest: Float = 0
    var total: Float = 0
    for frame in 0..<min(encoded.frameCount, reference.frames) {
      for (j, column) in columns.enumerated() {
        let difference = abs(
          encoded.values[frame * encoded.width + column] - reference.values[frame * columns.count + j])
        largest = max(largest, difference)
        total += difference
      }
    }
    let mean = total / Float(reference.values.count)
    // The outputs run to about ±7; measured: largest difference 1.1e-5, mean 2.8e-6 (float32 sums in another order).
    #expect(largest < 2e-4, "largest difference \(largest)")
    #expect(mean < 2e-5, "mean difference \(mean)")
  }

  @Test func framesAreTimedByTheirReceptiveField() {
    #expect(Self.model.hopSamples == 384)
    #expect(Self.model.receptiveSamples == 895)
    let encoder = SpeechEncoder(model: Self.model)
    #expect(encoder.encode([Float](repeating: 0, count: 894)).frameCount == 0)
    let frames = encoder.encode([Float](repeating: 0, count: 895 + 384 * 4))
    #expect(frames.frameCount == 5)
    #expect(abs(frames.centreSeconds(of: 1) - (447.5 + 384) / 16_000) < 1e-9)
  }

  @Test func findsTheFramesOfASpan() {
    let frames = EncodedFrames(
      frameCount: 4, width: 2, values: [0, 1, 2, 3, 4, 5, 6, 7], hopSeconds: 0.1, firstCentreSeconds: 0.05)
    #expect(frames.frames(from: 0.1, to: 0.3) == 1...2)  // centres 0.15 and 0.25
    #expect(frames.frames(from: 0.31, to: 0.32) == 3...3)  // none inside: the nearest
    #expect(frames.frames(from: 5, to: 6) == 3...3)  // past the end: the last
    let none = EncodedFrames(frameCount: 0, width: 2, values: [], hopSeconds: 0.1, firstCentreSeconds: 0.05)
    #expect(none.frames(from: 0, to: 1) == nil)
  }

  @Test func rejectsFilesThatAreNotModels() {
    let e = #expect(throws: ExamError.self) {
      try SpeechEncoderModel(data: Array("EXSPENC1 but nothing after it, or too little".utf8), source: "x.bin")
    }
    #expect(e?.code == .invalidInput)
    let missing = #expect(throws: ExamError.self) { try SpeechEncoderModel(path: "/nonexistent/encoder.bin") }
    #expect(missing?.code == .notFound)
  }
}

@Suite struct ErfTableTests {
  @Test func interpolatesErfWithinHalfAMillionth() {
    ErfTable.values.withUnsafeBufferPointer { table in
      var largest = 0.0
      for k in -5_000...5_000 {
        let x = Float(k) / 1_000
        largest = max(largest, abs(Double(ErfTable.erf(x, table)) - erf(Double(x))))
      }
      #expect(largest < 5e-7, "largest error \(largest)")
    }
  }
}
