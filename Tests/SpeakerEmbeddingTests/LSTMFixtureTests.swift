import Foundation
import Testing

@testable import SpeakerEmbedding

/// The network math against PyTorch on a tiny random model, and the mel front end against librosa: always run.
@Suite struct LSTMFixtureTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  struct TinyCase: Decodable {
    var batch: Int
    var mels: [Float]
    var embeddings: [Float]
  }

  struct MelCase: Decodable {
    var frames: Int
    var bands: Int
    var mel: [Float]
  }

  @Test func tinyNetworkMatchesPyTorch() throws {
    let model = try SpeakerEncoderModel(path: Self.fixtures.appendingPathComponent("tiny-encoder.bin").path)
    #expect(model.melBands == 5 && model.hiddenSize == 6 && model.layers.count == 2 && model.embeddingSize == 4)
    let c = try JSONDecoder().decode(
      TinyCase.self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("tiny-encoder.json")))
    let out = LSTMForward.embed(c.mels, batch: c.batch, model: model)
    #expect(out.count == c.embeddings.count)
    for (a, b) in zip(out, c.embeddings) { #expect(abs(a - b) < 1e-5, "\(a) vs PyTorch \(b)") }
  }

  @Test func oneAtATimeEqualsTheBatch() throws {
    let model = try SpeakerEncoderModel(path: Self.fixtures.appendingPathComponent("tiny-encoder.bin").path)
    let c = try JSONDecoder().decode(
      TinyCase.self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("tiny-encoder.json")))
    let all = LSTMForward.embed(c.mels, batch: c.batch, model: model)
    let per = c.mels.count / c.batch
    for b in 0..<c.batch {
      let one = LSTMForward.embed(Array(c.mels[(b * per)..<((b + 1) * per)]), batch: 1, model: model)
      for k in one.indices { #expect(abs(one[k] - all[b * model.embeddingSize + k]) < 1e-6) }
    }
  }

  @Test func melFramesMatchLibrosa() throws {
    let c = try JSONDecoder().decode(
      MelCase.self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("mel-two-tones.json")))
    let x = (0..<4000).map { n in
      Float(
        0.3 * sin(2 * Double.pi * 440 * Double(n) / 16_000) + 0.2 * sin(2 * Double.pi * 1250 * Double(n) / 16_000 + 0.5)
      )
    }
    let mel = MelSpectrogramProbe.frames(x)
    #expect(mel.count == c.frames * c.bands)
    let peak = c.mel.max() ?? 1
    for (a, b) in zip(mel, c.mel) { #expect(abs(a - b) <= 1e-3 * peak + 1e-4 * abs(b), "\(a) vs librosa \(b)") }
  }
}
