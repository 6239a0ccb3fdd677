import AudioIO
import Foundation
import Testing
import _ExamTestSupport

@testable import SpeakerEmbedding

/// ExamKit's embeddings against resemblyzer's own (Tools/speaker-encoder-reference.py) on speechocean762
/// recordings: needs ../shared/data and the committed model file.
enum CommittedModel {
  static let path = SharedData.repositoryRoot + "/ExamPacks/models/ge2e-speaker-encoder.bin"
  static var exists: Bool { FileManager.default.fileExists(atPath: path) }
}

@Suite(
  "SpeakerEmbedding: against resemblyzer",
  .enabled(
    if: SharedData.isAvailable && CommittedModel.exists,
    "../shared/data or ExamPacks/models/ge2e-speaker-encoder.bin is absent: reference check skipped"))
struct ReferenceEmbeddingTests {

  struct Reference: Decodable {
    struct File: Decodable {
      var audio: String
      var network: [Float]
      var full: [Float]
    }
    var files: [File]
  }

  static func cosine(_ a: [Float], _ b: [Float]) -> Double {
    VoiceEmbedding.dot(VoiceEmbedding.normalised(a), VoiceEmbedding.normalised(b))
  }

  @Test func networkMatchesResemblyzer() throws {
    let encoder = SpeakerEncoder(model: try SpeakerEncoderModel(path: CommittedModel.path))
    let reference = try JSONDecoder().decode(
      Reference.self,
      from: Data(
        contentsOf: LSTMFixtureTests.fixtures
          .appendingPathComponent("resemblyzer-reference.json")))
    #expect(reference.files.count >= 10)
    var skipped = 0
    for f in reference.files {
      let samples = try decodeMono(path: SharedData.path("speechocean762/" + f.audio), targetSampleRate: 16_000).samples
      // The network path: level raised, no trimming.
      let partials = encoder.partialMels(SpeakerEncoder.raiseLevel(samples))
      let embeddings = LSTMForward.embed(frames: partials.frames, starts: partials.starts, model: encoder.model)
      var mean = [Float](repeating: 0, count: encoder.model.embeddingSize)
      for p in partials.starts.indices { for k in mean.indices { mean[k] += embeddings[p * mean.count + k] } }
      let network = Self.cosine(mean, f.network)
      #expect(network >= 0.99, "\(f.audio): cosine \(network) with resemblyzer's network path")
      // End to end (SpeechDSP's voice activity instead of webrtcvad): reported, held to a looser bound.
      if case .success(let e) = encoder.embed(samples) {
        let full = Self.cosine(e.values, f.full)
        print(
          "\(f.audio): cosine \(String(format: "%.4f", network)) network, \(String(format: "%.4f", full)) end to end")
        #expect(full >= 0.9, "\(f.audio): cosine \(full) end to end")
      } else if case .failure(let reason) = encoder.embed(samples) {
        // Under 1 s of speech by SpeechDSP's voice activity: skipped by design, never compared.
        print("\(f.audio): cosine \(String(format: "%.4f", network)) network; end to end skipped (\(reason))")
        skipped += 1
      }
    }
    #expect(skipped <= 2, "\(skipped) of \(reference.files.count) answers skipped")
  }
}
