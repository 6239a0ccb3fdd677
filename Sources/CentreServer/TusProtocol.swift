import ExamCore
import Foundation
import HTTPTypes

/// The parts of tus 1.0 (https://tus.io/protocols/resumable-upload) that `exam serve` speaks: core, creation,
/// checksum (sha256), termination and expiration.
public enum TusProtocol {
  public static let version = "1.0.0"
  public static let extensions = "creation,checksum,termination,expiration"
  public static let checksumAlgorithms = "sha256"

  public static let tusResumable = HTTPField.Name("Tus-Resumable")!
  public static let tusVersion = HTTPField.Name("Tus-Version")!
  public static let tusExtension = HTTPField.Name("Tus-Extension")!
  public static let tusMaxSize = HTTPField.Name("Tus-Max-Size")!
  public static let tusChecksumAlgorithm = HTTPField.Name("Tus-Checksum-Algorithm")!
  public static let uploadOffset = HTTPField.Name("Upload-Offset")!
  public static let uploadLength = HTTPField.Name("Upload-Length")!
  public static let uploadMetadata = HTTPField.Name("Upload-Metadata")!
  public static let uploadChecksum = HTTPField.Name("Upload-Checksum")!
  public static let uploadExpires = HTTPField.Name("Upload-Expires")!
  public static let uploadDeferLength = HTTPField.Name("Upload-Defer-Length")!
  /// Not tus: where the finished upload's ingest report can be fetched.
  public static let reportLocation = HTTPField.Name("Exam-Report")!

  /// 460, the tus checksum extension's status for a chunk whose checksum does not match.
  public static let checksumMismatch = HTTPResponse.Status(code: 460, reasonPhrase: "Checksum Mismatch")
  /// 507: the server's disk is too full to take the upload.
  public static let insufficientStorage = HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")

  /// A non-negative byte count from header `name`.
  /// - Throws: `TusError` 400 naming the header and the value when it is not a plain decimal number.
  static func byteCount(_ value: String?, header name: HTTPField.Name) throws(TusError) -> Int64? {
    guard let value else { return nil }
    guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), value.utf8.count <= 18, let n = Int64(value)
    else {
      throw TusError(.badRequest, "\(name.rawName) must be a non-negative decimal number of bytes (got '\(value)')")
    }
    return n
  }

  /// Parses `Upload-Metadata`: comma-separated `key base64value` pairs (the value may be left out).
  /// - Throws: `TusError` 400 naming the bad pair.
  static func metadata(_ header: String?) throws(TusError) -> [String: String] {
    guard let header, !header.trimmingCharacters(in: .whitespaces).isEmpty else { return [:] }
    var result: [String: String] = [:]
    for pair in header.split(separator: ",", omittingEmptySubsequences: false) {
      let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: " ", omittingEmptySubsequences: true)
      guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && $0 != "," }) else {
        throw TusError(
          .badRequest, "Upload-Metadata: '\(pair)' is not 'key base64value' (pairs are separated by commas)")
      }
      let key = String(parts[0])
      guard result[key] == nil else { throw TusError(.badRequest, "Upload-Metadata: key '\(key)' is given twice") }
      if parts.count == 2 {
        guard let data = Data(base64Encoded: String(parts[1])), let text = String(data: data, encoding: .utf8) else {
          throw TusError(
            .badRequest, "Upload-Metadata: the value of '\(key)' is not base64-encoded UTF-8 ('\(parts[1])')")
        }
        result[key] = text
      } else {
        result[key] = ""
      }
    }
    return result
  }

  /// Parses `Upload-Checksum: sha256 <base64 digest>` into the 32 digest bytes.
  /// - Throws: `TusError` 400 for a malformed header or an algorithm other than sha256.
  static func sha256Checksum(_ header: String?) throws(TusError) -> [UInt8]? {
    guard let header else { return nil }
    let parts = header.split(separator: " ", omittingEmptySubsequences: true)
    guard parts.count == 2 else {
      throw TusError(.badRequest, "Upload-Checksum must be '<algorithm> <base64 digest>' (got '\(header)')")
    }
    guard parts[0].lowercased() == "sha256" else {
      throw TusError(.badRequest, "Upload-Checksum: algorithm '\(parts[0])' is not supported; use sha256")
    }
    guard let digest = Data(base64Encoded: String(parts[1])), digest.count == 32 else {
      throw TusError(.badRequest, "Upload-Checksum: '\(parts[1])' is not a base64-encoded 32-byte SHA-256 digest")
    }
    return Array(digest)
  }

  /// `Upload-Expires` wants an RFC 9110 HTTP date: `Wed, 25 Jun 2014 16:00:00 GMT`.
  static func httpDate(epochSeconds: Int) -> String {
    var time = time_t(epochSeconds)
    var parts = tm()
    gmtime_r(&time, &parts)
    let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
      + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
  }
}

/// A refused request: the HTTP status and a message that says what was wrong and how to fix it (sent as the body,
/// as JSON `{"error": {"status": …, "message": …}}`).
public struct TusError: Error, Sendable, Equatable, CustomStringConvertible {
  public var status: HTTPResponse.Status
  public var message: String
  /// Extra response headers (e.g. `WWW-Authenticate`, `Tus-Version`).
  public var headers: [HTTPField.Name: String]

  public init(_ status: HTTPResponse.Status, _ message: String, headers: [HTTPField.Name: String] = [:]) {
    self.status = status
    self.message = message
    self.headers = headers
  }

  public var description: String { "\(status.code) \(message)" }
}
