import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Decodes a zip entry's raw name bytes. Zip tools on Chinese Windows write names in GBK without the UTF-8
/// flag; others write UTF-8 (with or without the flag); old tools write code page 437.
///
/// Order: valid UTF-8 wins (ASCII is both), then GB18030 (a superset of GBK) through iconv, then CP437.
/// A GBK name that happens to be valid UTF-8 is read as UTF-8 — rare for real names, and stated in the report.
enum EntryName {
  /// The decoded name and the encoding it was read in (`utf-8`, `gbk`, `cp437`).
  static func decode(_ bytes: [UInt8]) -> (name: String, encoding: String) {
    if let utf8 = String(validating: bytes, as: UTF8.self) { return (utf8, "utf-8") }
    if let gbk = iconvDecode(bytes, from: "GB18030") { return (gbk, "gbk") }
    return (String(bytes.map { Character(Unicode.Scalar(cp437[Int($0)]) ?? "?") }), "cp437")
  }

  /// Converts `bytes` in `encoding` to a String with iconv, or nil when they are not valid in it.
  static func iconvDecode(_ bytes: [UInt8], from encoding: String) -> String? {
    let converter = iconv_open("UTF-8", encoding)
    guard converter != iconv_t(bitPattern: -1) else { return nil }
    defer { iconv_close(converter) }
    var input = bytes.map { CChar(bitPattern: $0) }
    var output = [CChar](repeating: 0, count: bytes.count * 4 + 4)
    let ok = input.withUnsafeMutableBufferPointer { inBuffer in
      output.withUnsafeMutableBufferPointer { outBuffer in
        var inPointer: UnsafeMutablePointer<CChar>? = inBuffer.baseAddress
        var inLeft = inBuffer.count
        var outPointer: UnsafeMutablePointer<CChar>? = outBuffer.baseAddress
        var outLeft = outBuffer.count
        let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
        return result != -1 && inLeft == 0 ? outBuffer.count - outLeft : -1
      }
    }
    guard ok >= 0 else { return nil }
    return String(validating: output[0..<ok].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// Unicode scalars of code page 437's bytes 0x00–0xFF.
  static let cp437: [UInt32] = {
    let high: [UInt32] = [
      0xC7, 0xFC, 0xE9, 0xE2, 0xE4, 0xE0, 0xE5, 0xE7, 0xEA, 0xEB, 0xE8, 0xEF, 0xEE, 0xEC, 0xC4, 0xC5,
      0xC9, 0xE6, 0xC6, 0xF4, 0xF6, 0xF2, 0xFB, 0xF9, 0xFF, 0xD6, 0xDC, 0xA2, 0xA3, 0xA5, 0x20A7, 0x192,
      0xE1, 0xED, 0xF3, 0xFA, 0xF1, 0xD1, 0xAA, 0xBA, 0xBF, 0x2310, 0xAC, 0xBD, 0xBC, 0xA1, 0xAB, 0xBB,
      0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556, 0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C, 0x255B, 0x2510,
      0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F, 0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567,
      0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B, 0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580,
      0x3B1, 0xDF, 0x393, 0x3C0, 0x3A3, 0x3C3, 0xB5, 0x3C4, 0x3A6, 0x398, 0x3A9, 0x3B4, 0x221E, 0x3C6, 0x3B5, 0x2229,
      0x2261, 0xB1, 0x2265, 0x2264, 0x2320, 0x2321, 0xF7, 0x2248, 0xB0, 0x2219, 0xB7, 0x221A, 0x207F, 0xB2, 0x25A0, 0xA0,
    ]
    return (0..<128).map { UInt32($0) } + high
  }()
}
