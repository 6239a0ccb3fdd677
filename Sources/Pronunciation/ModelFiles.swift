import ExamCore
import Foundation

/// Little-endian reads over a whole model file, each naming the file and the offset when it runs short.
final class BinaryReader {
  let path: String
  private let data: [UInt8]
  private(set) var offset = 0
  /// The file's 32-bit values are byte-swapped (a model written on a big-endian machine).
  var swapped = false

  init(path: String) throws(ExamError) {
    guard let contents = FileManager.default.contents(atPath: path) else {
      throw ExamError(
        .notFound, file: path, "cannot read the acoustic model file",
        fix: "reinstall pocketsphinx-en-us (Tools/bootstrap)")
    }
    self.path = path
    data = [UInt8](contents)
  }

  func error(_ message: String, fix: String) -> ExamError {
    ExamError(.invalidInput, file: path, "\(message) (at byte \(offset))", fix: fix)
  }

  private func need(_ count: Int) throws(ExamError) {
    guard count >= 0, offset + count <= data.count else {
      throw error(
        "the file ends early: \(count) more bytes expected", fix: "reinstall pocketsphinx-en-us (Tools/bootstrap)")
    }
  }

  func uint32() throws(ExamError) -> UInt32 {
    try need(4)
    let value = (0..<4).reduce(UInt32(0)) { $0 | UInt32(data[offset + $1]) << (8 * UInt32($1)) }
    offset += 4
    return swapped ? value.byteSwapped : value
  }

  func int32() throws(ExamError) -> Int32 { Int32(bitPattern: try uint32()) }

  func int16() throws(ExamError) -> Int16 {
    try need(2)
    let value = UInt16(data[offset]) | UInt16(data[offset + 1]) << 8
    offset += 2
    return Int16(bitPattern: swapped ? value.byteSwapped : value)
  }

  func float32() throws(ExamError) -> Float { Float(bitPattern: try uint32()) }

  func bytes(count: Int) throws(ExamError) -> ArraySlice<UInt8> {
    try need(count)
    defer { offset += count }
    return data[offset..<offset + count]
  }

  /// A string of `length` bytes, its trailing NUL dropped.
  func string(length: Int) throws(ExamError) -> String {
    String(decoding: try bytes(count: length).prefix { $0 != 0 }, as: UTF8.self)
  }

  /// A NUL-terminated string.
  func cString() throws(ExamError) -> String {
    guard let end = data[offset...].firstIndex(of: 0) else {
      throw error("a name runs to the end of the file", fix: "reinstall pocketsphinx-en-us (Tools/bootstrap)")
    }
    defer { offset = end + 1 }
    return String(decoding: data[offset..<end], as: UTF8.self)
  }

  /// Skips the text header up to `marker` (included).
  func skip(past marker: String) throws(ExamError) {
    let bytes = Array(marker.utf8)
    var index = offset
    while index + bytes.count <= data.count {
      if data[index..<index + bytes.count].elementsEqual(bytes) {
        offset = index + bytes.count
        return
      }
      index += 1
    }
    throw error(
      "no '\(marker.trimmingCharacters(in: .whitespacesAndNewlines))' header", fix: "reinstall pocketsphinx-en-us")
  }

  func align(to boundary: Int) { offset = (offset + boundary - 1) / boundary * boundary }
}

/// A Sphinx-3 parameter file (`means`, `variances`): a text header ending in `endhdr`, a byte-order mark, the
/// dimensions (codebooks, streams, densities, then each stream's length), a count and the 32-bit floats.
struct S3Array {
  var dimensions: [Int]
  var values: [Float]

  static func read(_ path: String) throws(ExamError) -> S3Array {
    let reader = try BinaryReader(path: path)
    try reader.skip(past: "endhdr\n")
    let mark = try reader.uint32()
    if mark == 0x4433_2211 {
      reader.swapped = true
    } else if mark != 0x1122_3344 {
      throw reader.error(
        "no Sphinx byte-order mark (found \(String(mark, radix: 16)))", fix: "reinstall pocketsphinx-en-us")
    }
    let codebooks = Int(try reader.int32())
    let streams = Int(try reader.int32())
    let densities = Int(try reader.int32())
    guard (1...1_000).contains(streams) else {
      throw reader.error("\(streams) feature streams", fix: "reinstall pocketsphinx-en-us (Tools/bootstrap)")
    }
    var lengths: [Int] = []
    for _ in 0..<streams { lengths.append(Int(try reader.int32())) }
    let count = Int(try reader.int32())
    guard count == codebooks * densities * lengths.reduce(0, +), count > 0 else {
      throw reader.error(
        "\(count) values do not fit \(codebooks) × \(densities) × \(lengths)",
        fix: "reinstall pocketsphinx-en-us (Tools/bootstrap)")
    }
    var values: [Float] = []
    values.reserveCapacity(count)
    for _ in 0..<count { values.append(try reader.float32()) }
    return S3Array(dimensions: [codebooks, streams, densities] + lengths, values: values)
  }
}

/// pocketsphinx's binary model definition (`mdef`, "BMDF"): the base phones, the senone count, and each base
/// phone's context-independent senones (the first entries of the phone table point at their senone sequences).
struct BinaryModelDefinition {
  var phones: [String]
  var senoneCount: Int
  /// Per base phone, its context-independent senones (one per state).
  var baseSenones: [[Int]]

  static func read(_ path: String) throws(ExamError) -> BinaryModelDefinition {
    let reader = try BinaryReader(path: path)
    let magic = try reader.string(length: 4)
    guard magic == "BMDF" || magic == "FDMB" else {
      throw reader.error(
        "not a binary model definition (starts with '\(magic)')",
        fix: "convert a text mdef with pocketsphinx_mdef_convert -bin, or reinstall pocketsphinx-en-us")
    }
    reader.swapped = magic == "FDMB"
    _ = try reader.int32()  // format version
    let headerLength = Int(try reader.int32())
    _ = try reader.bytes(count: headerLength)
    var counts: [Int] = []
    for _ in 0..<10 { counts.append(Int(try reader.int32())) }
    let (basePhones, allPhones, states, senones, sequences, treeNodes) =
      (counts[0], counts[1], counts[2], counts[4], counts[6], counts[8])
    guard states > 0, basePhones > 0, allPhones >= basePhones, senones > 0, sequences > 0, treeNodes >= 0 else {
      throw reader.error(
        "a model definition with \(states) states per phone, \(basePhones) base phones, \(senones) senones",
        fix: "use a model whose phones all have the same number of states (pocketsphinx-en-us)")
    }
    var names: [String] = []
    for _ in 0..<basePhones { names.append(try reader.cString()) }
    reader.align(to: 4)
    _ = try reader.bytes(count: treeNodes * 8)  // context tree: (int16 context, int16 children, int32 phone)
    // The phone table: (int32 senone sequence, int32 transition matrix, 4 bytes of context); base phones first.
    var baseSequences: [Int] = []
    for phone in 0..<allPhones {
      let sequence = Int(try reader.int32())
      _ = try reader.bytes(count: 8)
      if phone < basePhones { baseSequences.append(sequence) }
    }
    _ = try reader.int32()  // the senone sequences' own count
    var sequenceSenones: [Int] = []
    sequenceSenones.reserveCapacity(sequences * states)
    for _ in 0..<sequences * states { sequenceSenones.append(Int(try reader.int16())) }
    var baseSenones: [[Int]] = []
    for (phone, sequence) in baseSequences.enumerated() {
      guard sequence >= 0, sequence < sequences else {
        throw reader.error(
          "base phone \(names[phone]) has senone sequence \(sequence) of \(sequences)",
          fix: "reinstall pocketsphinx-en-us")
      }
      let stateSenones = Array(sequenceSenones[sequence * states..<(sequence + 1) * states])
      if let bad = stateSenones.first(where: { $0 < 0 || $0 >= senones }) {
        throw reader.error(
          "base phone \(names[phone]) has senone \(bad) of \(senones)", fix: "reinstall pocketsphinx-en-us")
      }
      baseSenones.append(stateSenones)
    }
    return BinaryModelDefinition(phones: names, senoneCount: senones, baseSenones: baseSenones)
  }
}
