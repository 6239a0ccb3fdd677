import AudioIO
import CLSTMKernels
import ExamCore
import Foundation
import Testing
import _ExamTestSupport

@testable import SpeakerEmbedding

#if canImport(Glibc)
  import Glibc
#endif

/// The faster network (shared first-layer projections, chunked products, C activations, answers batched together)
/// gives the embeddings of the plain one (`PlainLSTMForward`, as first written) up to float rounding.
@Suite struct FastForwardTests {
  static func cosine(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
    VoiceEmbedding.dot(VoiceEmbedding.normalised(Array(a)), VoiceEmbedding.normalised(Array(b)))
  }

  /// The plain pipeline: every partial's frames copied out, the plain network, the mean of the partials.
  static func plainEmbedding(_ encoder: SpeakerEncoder, _ samples: [Float]) -> [Float]? {
    let prepared = encoder.prepare(samples)
    guard prepared.speechSeconds >= encoder.minimumSpeechSeconds else { return nil }
    let partials = encoder.partialMels(prepared.samples)
    let per = encoder.model.partialFrames * encoder.model.melBands
    let mels = partials.starts.flatMap { s in
      partials.frames[(s * encoder.model.melBands)..<(s * encoder.model.melBands + per)]
    }
    let out = PlainLSTMForward.embed(mels, batch: partials.starts.count, model: encoder.model)
    let e = encoder.model.embeddingSize
    var mean = [Float](repeating: 0, count: e)
    for p in partials.starts.indices { for k in 0..<e { mean[k] += out[p * e + k] } }
    return VoiceEmbedding.normalised(mean)
  }

  @Test func expMatchesLibm() {
    let xs = stride(from: Float(-80), through: 80, by: 0.0137).map { $0 }
    var out = [Float](repeating: 0, count: xs.count)
    examkit_lstm_exp(xs, &out, Int32(xs.count))
    for (x, y) in zip(xs, out) {
      let want = expf(x)
      #expect(abs(y - want) <= 3e-7 * want, "e^\(x): \(y), libm \(want)")
    }
  }

  @Test func tinyNetworkSplitOrBatchedAgrees() throws {
    // Overlapping partials read shared frames: the same as each partial's frames given on their own.
    let model = try SpeakerEncoderModel(path: LSTMFixtureTests.fixtures.appendingPathComponent("tiny-encoder.bin").path)
    var generator = SplitMix64(seed: 16)
    let frameCount = model.partialFrames * 3
    let frames = (0..<(frameCount * model.melBands)).map { _ in Float(generator.next() % 1000) / 1000 }
    let starts = [0, 1, model.partialFrames / 2, model.partialFrames, frameCount - model.partialFrames]
    let shared = LSTMForward.embed(frames: frames, starts: starts, model: model)
    let e = model.embeddingSize
    for (p, s) in starts.enumerated() {
      let own = Array(frames[(s * model.melBands)..<((s + model.partialFrames) * model.melBands)])
      let alone = LSTMForward.embed(own, batch: 1, model: model)
      let plain = PlainLSTMForward.embed(own, batch: 1, model: model)
      for k in 0..<e {
        #expect(abs(shared[p * e + k] - alone[k]) < 1e-5)
        #expect(abs(shared[p * e + k] - plain[k]) < 1e-5, "partial \(p) value \(k)")
      }
    }
  }
}

@Suite(
  "SpeakerEmbedding: fast network against the plain one on real answers",
  .enabled(
    if: SharedData.isAvailable && CommittedModel.exists,
    "../shared/data or ExamPacks/models/ge2e-speaker-encoder.bin is absent: check skipped"))
struct FastForwardRealAnswerTests {
  static func answers() throws -> [[Float]] {
    let reference = try JSONDecoder().decode(
      ReferenceEmbeddingTests.Reference.self,
      from: Data(contentsOf: LSTMFixtureTests.fixtures.appendingPathComponent("resemblyzer-reference.json")))
    let samples = try reference.files.map { f in
      try decodeMono(path: SharedData.path("speechocean762/" + f.audio), targetSampleRate: 16_000).samples
    }
    // Two answers joined: a longer answer with more partials.
    return samples + [samples[0] + samples[1]]
  }

  @Test func sameEmbeddingsAsThePlainNetwork() throws {
    var encoder = SpeakerEncoder(model: try SpeakerEncoderModel(path: CommittedModel.path))
    let answers = try Self.answers()
    let oneByOne = answers.map { encoder.embed($0) }
    let batched = encoder.embed(answers)
    encoder.maximumBatch = 3  // answers split across batches
    let split = encoder.embed(answers)
    var compared = 0
    for (a, samples) in answers.enumerated() {
      guard let plain = FastForwardTests.plainEmbedding(encoder, samples) else {
        #expect((try? oneByOne[a].get()) == nil)
        continue
      }
      for outcome in [oneByOne[a], batched[a], split[a]] {
        let fast = try outcome.get()
        let c = FastForwardTests.cosine(fast.values[...], plain[...])
        #expect(c >= 0.9999, "answer \(a): cosine \(c) with the plain network")
      }
      compared += 1
    }
    #expect(compared >= 10)
  }
}
