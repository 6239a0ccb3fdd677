import ExamCore
import Foundation
import HTTPTypes
import Hummingbird

extension MarkingDeskServer {
  /// The stored 16 kHz FLAC of an answer, with `Range` support (one range: `bytes=a-b`, `a-`, `-n`). Only for the
  /// raters the answer was given to, and arbiters while it waits for arbitration: 403 for anyone else.
  func audio(_ request: Request, answer: Int64) async throws -> Response {
    let session = try await auth.require(request, roles: [.rater, .arbiter])
    var allowed = try await desk.isAssigned(answerId: answer, to: session.raterId)
    if !allowed, session.role == .arbiter {
      allowed = try await arbitrationCases(for: session.raterId).contains { $0.answerId == answer }
    }
    guard allowed, let recording = try await database.recording(id: answer) else {
      throw DeskError.forbidden("Answer \(answer) was not given to you.")
    }
    let path = configuration.contentStore.path(sha256: recording.storedSha256, ext: "flac")
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw DeskError(.notFound, "The recording of answer \(answer) is missing from the store; tell the exam office.")
    }
    defer { try? handle.close() }
    let size = Int(try handle.seekToEnd())
    var headers = HTTPFields()
    headers[.contentType] = "audio/flac"
    headers[.acceptRanges] = "bytes"
    headers[.cacheControl] = "private, no-store"
    var status = HTTPResponse.Status.ok
    var range = 0..<size
    if let header = request.headers[.range] {
      guard let wanted = Self.byteRange(header, size: size) else {
        headers[.contentRange] = "bytes */\(size)"
        return Response(status: .rangeNotSatisfiable, headers: headers)
      }
      range = wanted
      status = .partialContent
      headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(size)"
    }
    try handle.seek(toOffset: UInt64(range.lowerBound))
    let data = try handle.read(upToCount: range.count) ?? Data()
    headers[.contentLength] = String(data.count)
    return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
  }

  /// The bytes a `Range: bytes=…` header asks for within a file of `size` bytes; nil when unsatisfiable or not a
  /// single byte range.
  static func byteRange(_ header: String, size: Int) -> Range<Int>? {
    guard header.hasPrefix("bytes="), !header.contains(","), size > 0 else { return nil }
    let spec = header.dropFirst(6).split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
    guard spec.count == 2 else { return nil }
    let first = spec[0].trimmingCharacters(in: .whitespaces), last = spec[1].trimmingCharacters(in: .whitespaces)
    if first.isEmpty {
      guard let suffix = Int(last), suffix > 0 else { return nil }
      return max(0, size - suffix)..<size
    }
    guard let start = Int(first), start >= 0, start < size else { return nil }
    if last.isEmpty { return start..<size }
    guard let end = Int(last), end >= start else { return nil }
    return start..<(min(end, size - 1) + 1)
  }
}
