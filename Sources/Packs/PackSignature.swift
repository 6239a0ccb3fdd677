import ExamCore
import Foundation
import Signing

/// `manifest.sig`: a header line and the base64 Ed25519 signature of `manifest.json`'s bytes.
enum PackSignature {
  static let header = "examkit-ed25519-signature-v1"

  static func encode(_ signature: [UInt8]) -> [UInt8] {
    Array("\(header)\n\(Data(signature).base64EncodedString())\n".utf8)
  }

  /// The raw signature, or nil when the file is not in this format.
  static func decode(_ bytes: [UInt8]) -> [UInt8]? {
    let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    guard lines.count == 2, lines[0] == header, let data = Data(base64Encoded: lines[1]) else { return nil }
    return Array(data)
  }
}
