import ExamCore
import Foundation

/// The weights of Moonshine base's English speech encoder (moonshine_cpp 0.1.4, MIT; 8 transformer layers of 416
/// over a convolutional front end on 16 kHz samples), read from ExamKit's plain model file
/// (`ExamPacks/models/moonshine-base-encoder.bin`, written by Tools/convert-speech-encoder.py; layout and provenance
/// in ExamPacks/models/README.md):
///
///     8 bytes  magic "EXSPENC1"
///     5 × u32  width (416), layers (8), heads (8), feed-forward width (1664), rotary dimensions (32)
///     6 × u32  kernel and stride of conv1, conv2, conv3 (127 64, 7 3, 3 2)
///     then the tensors in a fixed order (`SpeechEncoderModel.init(data:source:)`), each either int8 weights as
///     f32 scale, f32 offset, int8 values (weight = value × scale + offset, the original's own storage), or f32.
///
/// The weights are expanded to float32 once, when loaded (about 80 MB), and laid out for `SpeechEncoder`'s
/// matrix products. Immutable after loading, hence `Sendable`: one model is shared by every task.
public struct SpeechEncoderModel: Sendable {
  public struct Convolution: Sendable {
    public let kernel: Int
    public let stride: Int
    public let inputChannels: Int
    public let outputChannels: Int
    /// Per kernel tap k, a (inputChannels × outputChannels) row-major block: weight[k][c][o].
    let taps: [Float]
    let bias: [Float]?
  }

  public struct Layer: Sendable {
    let inputNorm: [Float]
    /// width × width, row-major (input × output): y = x W.
    let query: [Float]
    let key: [Float]
    let value: [Float]
    let output: [Float]
    let postNorm: [Float]
    /// width × feedForward, and its bias.
    let up: [Float]
    let upBias: [Float]
    /// feedForward × width, and its bias.
    let down: [Float]
    let downBias: [Float]
  }

  public let width: Int
  public let heads: Int
  public let feedForward: Int
  public let rotaryDimensions: Int
  public let convolutions: [Convolution]
  let groupNormWeight: [Float]
  let groupNormBias: [Float]
  public let layers: [Layer]
  let finalNorm: [Float]

  /// Samples per output frame (the product of the strides: 384, 24 ms at 16 kHz).
  public var hopSamples: Int { convolutions.reduce(1) { $0 * $1.stride } }
  /// Samples one output frame sees (895 for Moonshine base): the shortest input that gives a frame.
  public var receptiveSamples: Int {
    var span = 1
    for convolution in convolutions.reversed() { span = (span - 1) * convolution.stride + convolution.kernel }
    return span
  }

  static let magic = Array("EXSPENC1".utf8)
  public static let defaultPath = "ExamPacks/models/moonshine-base-encoder.bin"

  /// Reads and checks a model file.
  /// - Throws: `ExamError` `.notFound` when the file is missing, `.invalidInput` when it is not a model file of
  ///   this layout (wrong magic, sizes, or length).
  public init(path: String) throws(ExamError) {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ExamError(
        .notFound, file: path, "the speech encoder model is missing",
        fix: "give the path of ExamPacks/models/moonshine-base-encoder.bin (made by Tools/convert-speech-encoder.py)")
    }
    try self.init(data: [UInt8](data), source: path)
  }

  /// Parses the bytes of a model file; `source` names it in errors.
  public init(data bytes: [UInt8], source: String) throws(ExamError) {
    var reader = ModelReader(bytes: bytes, source: source)
    guard bytes.count >= 52, Array(bytes[0..<8]) == Self.magic else {
      throw reader.bad("the file does not start with EXSPENC1")
    }
    reader.offset = 8
    let header = try (0..<11).map { _ throws(ExamError) in try reader.u32() }
    let (width, layerCount, heads, feedForward, rotary) = (header[0], header[1], header[2], header[3], header[4])
    guard width > 0, heads > 0, width % heads == 0, rotary % 2 == 0, rotary <= width / heads, layerCount > 0,
      feedForward > 0, (0..<3).allSatisfy({ header[5 + 2 * $0] > 0 && header[6 + 2 * $0] > 0 })
    else { throw reader.bad("impossible sizes \(header)") }
    let channels = [1, width, 2 * width, width]
    var convolutions: [Convolution] = []
    var groupNorm: ([Float], [Float]) = ([], [])
    for index in 0..<3 {
      let (kernel, stride) = (header[5 + 2 * index], header[6 + 2 * index])
      let (input, output) = (channels[index], channels[index + 1])
      // The original's order is [output][input][kernel]; stored here per tap as [kernel][input][output].
      let original = try reader.quantized(count: output * input * kernel)
      var taps = [Float](repeating: 0, count: original.count)
      for o in 0..<output {
        for c in 0..<input {
          for k in 0..<kernel { taps[(k * input + c) * output + o] = original[(o * input + c) * kernel + k] }
        }
      }
      if index == 0 { groupNorm = (try reader.floats(count: width), try reader.floats(count: width)) }
      let bias = index == 0 ? nil : try reader.floats(count: output)
      convolutions.append(
        Convolution(
          kernel: kernel, stride: stride, inputChannels: input, outputChannels: output, taps: taps, bias: bias))
    }
    var layers: [Layer] = []
    for _ in 0..<layerCount {
      let inputNorm = try reader.floats(count: width)
      let query = try reader.quantized(count: width * width)
      let key = try reader.quantized(count: width * width)
      let value = try reader.quantized(count: width * width)
      let output = try reader.quantized(count: width * width)
      let postNorm = try reader.floats(count: width)
      let up = try reader.quantized(count: width * feedForward)
      let upBias = try reader.floats(count: feedForward)
      let down = try reader.quantized(count: feedForward * width)
      let downBias = try reader.floats(count: width)
      layers.append(
        Layer(
          inputNorm: inputNorm, query: query, key: key, value: value, output: output, postNorm: postNorm, up: up,
          upBias: upBias, down: down, downBias: downBias))
    }
    finalNorm = try reader.floats(count: width)
    guard reader.offset == bytes.count else {
      throw reader.bad("\(bytes.count - reader.offset) bytes after the last tensor")
    }
    self.width = width
    self.heads = heads
    self.feedForward = feedForward
    self.rotaryDimensions = rotary
    self.convolutions = convolutions
    self.groupNormWeight = groupNorm.0
    self.groupNormBias = groupNorm.1
    self.layers = layers
  }
}

/// Little-endian reading of a model file, with errors that name it.
private struct ModelReader {
  let bytes: [UInt8]
  let source: String
  var offset = 0

  func bad(_ what: String) -> ExamError {
    ExamError(
      .invalidInput, file: source, "not a speech encoder model: \(what)",
      fix: "re-create it with Tools/convert-speech-encoder.py")
  }

  mutating func take(_ count: Int) throws(ExamError) -> ArraySlice<UInt8> {
    guard count >= 0, offset + count <= bytes.count else {
      throw bad("it ends at byte \(bytes.count), inside a tensor that needs \(offset + count)")
    }
    defer { offset += count }
    return bytes[offset..<offset + count]
  }

  mutating func u32() throws(ExamError) -> Int {
    let raw = try take(4)
    return raw.reversed().reduce(0) { $0 << 8 | Int($1) }
  }

  mutating func f32() throws(ExamError) -> Float { Float(bitPattern: UInt32(try u32())) }

  mutating func floats(count: Int) throws(ExamError) -> [Float] {
    try (0..<count).map { _ throws(ExamError) in try f32() }
  }

  /// int8 values with their scale and offset, expanded: value × scale + offset.
  mutating func quantized(count: Int) throws(ExamError) -> [Float] {
    let scale = try f32()
    let shift = try f32()
    let raw = try take(count)
    return raw.map { Float(Int8(bitPattern: $0)) * scale + shift }
  }
}
