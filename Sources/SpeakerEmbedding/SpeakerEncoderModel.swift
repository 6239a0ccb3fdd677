import ExamCore
import Foundation

/// The weights of a GE2E speaker encoder (resemblyzer's `pretrained.pt`: 3 LSTM layers of 256 over 40 mel bands,
/// a 256 → 256 linear layer and ReLU), read from ExamKit's plain model file (Tools/convert-speaker-encoder.py
/// writes it; ExamPacks/models/README.md documents the layout):
///
///     8 bytes  magic "EXVOICE1"
///     5 × u32  melBands, hiddenSize, layers, embeddingSize, partialFrames   (little-endian)
///     float32 little-endian, per layer l: W_ih (4H × in), W_hh (4H × H), b_ih (4H), b_hh (4H)
///             (PyTorch's gate order: input, forget, cell, output; in = melBands for l = 0, else H)
///     then the linear layer: W (E × H), b (E)
///
/// Immutable after loading, hence `Sendable`: one model is shared by every task.
public struct SpeakerEncoderModel: Sendable {
  public struct Layer: Sendable {
    public let inputSize: Int
    /// 4H × inputSize, row-major.
    public let inputWeights: [Float]
    /// 4H × H, row-major.
    public let recurrentWeights: [Float]
    /// b_ih + b_hh (4H).
    public let bias: [Float]
    /// W_ihᵀ (inputSize × 4H) and W_hhᵀ (H × 4H), row-major: the layout `LSTMForward`'s products read fastest.
    let inputWeightsTransposed: [Float]
    let recurrentWeightsTransposed: [Float]

    init(inputSize: Int, inputWeights: [Float], recurrentWeights: [Float], bias: [Float]) {
      self.inputSize = inputSize
      self.inputWeights = inputWeights
      self.recurrentWeights = recurrentWeights
      self.bias = bias
      let gates = bias.count
      inputWeightsTransposed = Self.transposed(inputWeights, rows: gates, columns: inputSize)
      recurrentWeightsTransposed = Self.transposed(
        recurrentWeights, rows: gates, columns: recurrentWeights.count / gates)
    }

    static func transposed(_ m: [Float], rows: Int, columns: Int) -> [Float] {
      var out = [Float](repeating: 0, count: m.count)
      for r in 0..<rows {
        for c in 0..<columns { out[c * rows + r] = m[r * columns + c] }
      }
      return out
    }
  }

  public let melBands: Int
  public let hiddenSize: Int
  public let embeddingSize: Int
  /// Mel frames per partial utterance (160 = 1.6 s).
  public let partialFrames: Int
  public let layers: [Layer]
  /// E × H, row-major.
  public let linearWeights: [Float]
  public let linearBias: [Float]

  static let magic = Array("EXVOICE1".utf8)

  /// Reads and checks a model file.
  /// - Throws: `ExamError` `.notFound` when the file is missing, `.invalidInput` when it is not a model file of
  ///   this layout (wrong magic, sizes, or length).
  public init(path: String) throws(ExamError) {
    guard FileManager.default.fileExists(atPath: path), let data = FileManager.default.contents(atPath: path) else {
      throw ExamError(
        .notFound, file: path, "the speaker encoder model is missing",
        fix: "give the path of ExamPacks/models/ge2e-speaker-encoder.bin (made by Tools/convert-speaker-encoder.py)")
    }
    try self.init(data: [UInt8](data), source: path)
  }

  /// Parses the bytes of a model file; `source` names it in errors.
  public init(data bytes: [UInt8], source: String) throws(ExamError) {
    func bad(_ what: String) -> ExamError {
      ExamError(
        .invalidInput, file: source, "not a speaker encoder model: \(what)",
        fix: "re-create it with Tools/convert-speaker-encoder.py")
    }
    guard bytes.count >= 28, Array(bytes[0..<8]) == Self.magic else {
      throw bad("the file does not start with EXVOICE1")
    }
    func u32(_ at: Int) -> Int {
      Int(UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24)
    }
    let (bands, hidden, layerCount, embedding, partial) = (u32(8), u32(12), u32(16), u32(20), u32(24))
    guard (1...512).contains(bands), (1...4096).contains(hidden), (1...16).contains(layerCount),
      (1...4096).contains(embedding), (1...10_000).contains(partial)
    else { throw bad("implausible sizes \(bands), \(hidden), \(layerCount), \(embedding), \(partial)") }
    var floatCount = 0
    for l in 0..<layerCount { floatCount += 4 * hidden * ((l == 0 ? bands : hidden) + hidden) + 8 * hidden }
    floatCount += embedding * hidden + embedding
    guard bytes.count == 28 + 4 * floatCount else {
      throw bad("\(bytes.count) bytes where the header's sizes need \(28 + 4 * floatCount)")
    }
    var offset = 28
    func take(_ n: Int) -> [Float] {
      var out = [Float](repeating: 0, count: n)
      for i in 0..<n {
        let at = offset + 4 * i
        let bits =
          UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        out[i] = Float(bitPattern: bits)
      }
      offset += 4 * n
      return out
    }
    var layers: [Layer] = []
    for l in 0..<layerCount {
      let input = l == 0 ? bands : hidden
      let wih = take(4 * hidden * input), whh = take(4 * hidden * hidden)
      let bih = take(4 * hidden), bhh = take(4 * hidden)
      layers.append(
        Layer(inputSize: input, inputWeights: wih, recurrentWeights: whh, bias: zip(bih, bhh).map { $0 + $1 }))
    }
    guard (layers.flatMap(\.inputWeights) + layers.flatMap(\.recurrentWeights)).allSatisfy(\.isFinite) else {
      throw bad("a weight is not a finite number")
    }
    melBands = bands
    hiddenSize = hidden
    embeddingSize = embedding
    partialFrames = partial
    self.layers = layers
    linearWeights = take(embedding * hidden)
    linearBias = take(embedding)
  }
}
