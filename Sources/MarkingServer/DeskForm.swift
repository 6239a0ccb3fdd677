import Foundation
import HTTPTypes
import Hummingbird

/// Reading what browsers send: urlencoded form bodies, cookies, and comparing secrets in constant time.
enum DeskForm {
  /// Largest form body read (a mark, a flag comment or an arbitration reason).
  static let maximumBodyBytes = 16 * 1024

  /// The fields of an `application/x-www-form-urlencoded` body (`+` is a space; the last of repeated names wins).
  static func fields(_ request: Request) async throws -> [String: String] {
    guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else {
      throw DeskError(.unsupportedMediaType, "Send the form as application/x-www-form-urlencoded.")
    }
    let buffer: ByteBuffer
    do { buffer = try await request.body.collect(upTo: maximumBodyBytes) } catch {
      throw DeskError(.contentTooLarge, "The form is larger than \(maximumBodyBytes) bytes; shorten the text.")
    }
    return parse(String(buffer: buffer))
  }

  static func parse(_ text: String) -> [String: String] {
    var fields: [String: String] = [:]
    for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      func decode(_ s: Substring) -> String {
        String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
      }
      fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
    }
    return fields
  }

  /// The value of cookie `name`, or nil.
  static func cookie(_ name: String, in request: Request) -> String? {
    for header in request.headers[values: .cookie] {
      for part in header.split(separator: ";") {
        let pair = part.split(separator: "=", maxSplits: 1)
        if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces) == name {
          return pair[1].trimmingCharacters(in: .whitespaces)
        }
      }
    }
    return nil
  }

  /// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Path=/, Secure when asked; `maxAgeSeconds` 0 deletes it.
  static func setCookie(_ name: String, _ value: String, maxAgeSeconds: Int, secure: Bool) -> String {
    "\(name)=\(value); Path=/; Max-Age=\(maxAgeSeconds); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
  }

  /// Whether `a` equals `b`, taking the same time for every `a` of the same length.
  static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count, !x.isEmpty else { return false }
    var difference: UInt8 = 0
    for i in 0..<x.count { difference |= x[i] ^ y[i] }
    return difference == 0
  }

  /// 32 random bytes from the system's secure generator, as 64 hex digits.
  static func randomToken() -> String {
    var generator = SystemRandomNumberGenerator()
    var text: [UInt8] = []
    text.reserveCapacity(64)
    for _ in 0..<4 {
      var word: UInt64 = generator.next()
      for _ in 0..<8 {
        text.append(hexDigits[Int(word >> 4 & 0xF)])
        text.append(hexDigits[Int(word & 0xF)])
        word >>= 8
      }
    }
    return String(decoding: text, as: UTF8.self)
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)
}
