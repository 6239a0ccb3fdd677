import Crypto
import ExamCore
import ExamStorage
import Foundation
import HTTPTypes
import NIOCore
import Signing

/// The tus logic of `exam serve`, apart from HTTP: who may do what with which upload, the limits, the bytes on
/// disk and the store's bookkeeping. `UploadRoutes` turns requests into calls here and results into responses.
///
/// Invariants: the store's `offsetBytes` is the acknowledged length; the upload file is fsynced up to it before
/// it moves; anything the file holds past it is cut off before the next write. Every creation, completion,
/// termination, expiry and refusal of an authenticated centre has an audit line naming the centre.
struct UploadDesk: Sendable {
  let database: any ServerStore
  let configuration: ServerConfiguration
  let queue: IngestQueue
  /// Set once a graceful shutdown starts: new uploads and new chunks are refused with 503.
  let shutdown: ShutdownFlag
  /// Where the store's calls and a chunk's writes, fsync and offset update run: never on the cooperative threads
  /// that serve requests.
  let threads: StoreThreads
  /// Upload bytes taken, when `exam serve --metrics-listen` is on.
  var metrics: ServeMetrics? = nil
  /// Bytes of a chunk gathered in memory before they are written (on `store`) in one go.
  static let writeBytes = 1 << 20

  // MARK: - Authentication

  /// The token behind an `Authorization` header, checked against the store on every request (revocation is immediate).
  /// - Throws: `TusError` 401 when the header is missing, unknown or revoked; 403 when the role does not fit.
  func authenticate(_ authorization: String?, role: AccessToken.Role) async throws(TusError) -> AccessToken {
    let challenge = [
      HTTPField.Name.wwwAuthenticate: role == .office ? "Basic realm=\"exam office\"" : "Bearer realm=\"exam centres\""
    ]
    guard let secret = AccessTokens.secret(fromAuthorization: authorization) else {
      throw TusError(
        .unauthorized, "no token: send 'Authorization: Bearer <token>' with the token from `exam centres tokens issue`",
        headers: challenge)
    }
    let database = database
    let token = try await stored { try await database.activeToken(sha256: AccessTokens.hash(secret)) }
    guard let token else {
      throw TusError(
        .unauthorized, "the token is unknown or revoked — ask the exam office for a new one", headers: challenge)
    }
    guard token.role == role else {
      throw TusError(
        .forbidden,
        role == .office ? "this page needs an office token" : "office tokens cannot upload; use the centre's token")
    }
    return token
  }

  // MARK: - tus operations

  /// tus creation: registers an upload of `length` bytes for the token's centre.
  func create(token: AccessToken, length: Int64, metadata: [String: String]) async throws(TusError) -> UploadRecord {
    guard !shutdown.isSet else {
      throw TusError(.serviceUnavailable, "the server is shutting down; try again in a minute")
    }
    guard let centre = token.centreId else { throw TusError(.forbidden, "office tokens cannot upload") }
    if let claimed = metadata["centre"], claimed != centre {
      await audit(
        token, "POST /uploads", "refused: token of centre \(centre) tried to upload a batch of centre \(claimed)")
      throw TusError(
        .forbidden,
        "this token belongs to centre \(centre), not \(claimed); upload each centre's batch with its own token")
    }
    let limits = configuration.limits
    guard length <= limits.maximumUploadBytes else {
      await audit(
        token, "POST /uploads", "refused: \(length) bytes is over the \(limits.maximumUploadBytes)-byte upload limit")
      throw TusError(
        .contentTooLarge,
        "Upload-Length \(length) is over the server's limit of \(limits.maximumUploadBytes) bytes; split the batch")
    }
    let database = database
    let open = try await stored { try await database.uploads(centreId: centre, states: [.receiving, .ingesting]) }
    guard open.filter({ $0.state == .receiving }).count < limits.maximumOpenUploadsPerCentre else {
      await audit(token, "POST /uploads", "refused: \(limits.maximumOpenUploadsPerCentre) uploads already unfinished")
      throw TusError(
        .tooManyRequests,
        "centre \(centre) already has \(limits.maximumOpenUploadsPerCentre) unfinished uploads; "
          + "finish or delete one (DELETE its URL) first")
    }
    let held = open.reduce(Int64(0)) { $0 + $1.lengthBytes }
    guard held + length <= limits.centreQuotaBytes else {
      await audit(
        token, "POST /uploads",
        "refused: \(held) + \(length) bytes is over the centre's \(limits.centreQuotaBytes)-byte quota")
      throw TusError(
        .contentTooLarge,
        "centre \(centre) has \(held) bytes in unfinished uploads; \(length) more is over its quota of "
          + "\(limits.centreQuotaBytes) bytes — wait for them to be ingested")
    }
    do { try AtomicFile.makeDirectories(configuration.uploadFolder) } catch { throw storeError(error) }
    if let free = UploadFile.freeBytes(under: configuration.uploadFolder), free - length < limits.reserveDiskBytes {
      throw TusError(
        TusProtocol.insufficientStorage,
        "the server's disk is nearly full; the exam office has been told — try again later")
    }
    let id = Digest.hex(AccessTokens.randomBytes(16))
    let now = Int(Date().timeIntervalSince1970)
    let upload = UploadRecord(
      id: id, tokenId: token.id, centreId: centre, sessionId: metadata["session"].flatMap { $0.isEmpty ? nil : $0 },
      fileName: metadata["filename"] ?? "", lengthBytes: length, createdAt: Timestamp.format(epochSeconds: now),
      expiresAt: Timestamp.format(epochSeconds: now + limits.expirySeconds))
    let (path, line) = (
      configuration.uploadPath(id),
      entry(
        token, "POST /uploads",
        "upload \(id) created: \(length) bytes, file '\(upload.fileName)'"
          + (upload.sessionId.map { ", session \($0)" } ?? ""))
    )
    do {
      try await stored {
        _ = try UploadFile(path: path, create: true)
        try await database.createUpload(upload, audit: line)
      }
    } catch {
      try? FileManager.default.removeItem(atPath: path)
      throw error
    }
    return upload
  }

  /// The upload `id` if the token's centre owns it. Another centre's upload is reported as not found (and audited).
  func owned(_ id: String, by token: AccessToken, action: String) async throws(TusError) -> UploadRecord {
    let database = database
    let upload = try await stored { try await database.upload(id: id) }
    guard let upload, upload.state != .terminated else {
      throw TusError(.notFound, "no upload \(id) (finished long ago, deleted or expired); start a new one")
    }
    guard upload.centreId == token.centreId else {
      await audit(token, action, "refused: upload \(id) belongs to centre \(upload.centreId)")
      throw TusError(.notFound, "no upload \(id) for centre \(token.centreId ?? "-")")
    }
    if upload.state == .receiving, let expires = Timestamp.parse(upload.expiresAt),
      expires < Date().timeIntervalSince1970
    {
      throw TusError(.gone, "upload \(id) expired at \(upload.expiresAt); start a new one")
    }
    return upload
  }

  /// tus core PATCH: appends the body at `offset`, checking length and (when given) the chunk's SHA-256.
  /// Bytes that arrive before the client goes away are kept when no checksum was asked for (tus: partial chunks
  /// count), so a cut upload resumes where its bytes stopped.
  /// - Returns: the upload after the chunk (`state` is `.ingesting` once its last byte arrived).
  func append<Body: AsyncSequence>(
    token: AccessToken, id: String, offset: Int64, contentLength: Int64?, checksum: [UInt8]?,
    body: Body
  ) async throws(TusError) -> UploadRecord where Body.Element == ByteBuffer {
    guard !shutdown.isSet else {
      throw TusError(.serviceUnavailable, "the server is shutting down; resume in a minute")
    }
    var upload = try await owned(id, by: token, action: "PATCH /uploads/\(id)")
    guard offset == upload.offsetBytes else {
      throw TusError(
        .conflict,
        "Upload-Offset \(offset) is not where upload \(id) stands (\(upload.offsetBytes)); ask with HEAD and resume from there",
        headers: [TusProtocol.uploadOffset: String(upload.offsetBytes)])
    }
    guard upload.state == .receiving else {
      guard contentLength ?? 0 == 0 else {
        throw TusError(.forbidden, "upload \(id) is complete; nothing more can be appended")
      }
      return upload
    }
    if let contentLength, offset + contentLength > upload.lengthBytes {
      await audit(
        token, "PATCH /uploads/\(id)",
        "refused: chunk of \(contentLength) bytes at \(offset) runs past Upload-Length \(upload.lengthBytes)")
      throw TusError(
        .contentTooLarge,
        "a chunk of \(contentLength) bytes at offset \(offset) runs past the upload's length of \(upload.lengthBytes) bytes"
      )
    }
    let path = configuration.uploadPath(id)
    let file = try await stored {
      let file = try UploadFile(path: path, create: false)
      guard try file.tryLock() else {
        throw TusError(
          .conflict,
          "another PATCH of upload \(id) is in progress (on this or another server); wait for it, then ask with HEAD")
      }
      try file.truncate(to: offset)
      return file
    }
    defer { file.close() }
    var hasher = SHA256()
    var received: Int64 = 0
    var cut = false
    // The chunk's buffers as they arrived (not copied), written together once `writeBytes` are held.
    var pending: [ByteBuffer] = []
    var pendingBytes = 0
    do {
      for try await buffer in body {
        guard offset + received + Int64(buffer.readableBytes) <= upload.lengthBytes else {
          try? file.truncate(to: offset)
          await audit(token, "PATCH /uploads/\(id)", "refused: bytes past Upload-Length \(upload.lengthBytes)")
          throw TusError(.contentTooLarge, "the chunk runs past the upload's length of \(upload.lengthBytes) bytes")
        }
        if checksum != nil { buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) } }
        pending.append(buffer)
        pendingBytes += buffer.readableBytes
        received += Int64(buffer.readableBytes)
        if pendingBytes >= Self.writeBytes {
          let buffers = pending
          (pending, pendingBytes) = ([], 0)
          try await stored { try Self.write(buffers, to: file, cuttingBackTo: offset) }
        }
      }
    } catch let error as TusError {
      throw error
    } catch {
      cut = true  // the client went away or stalled: keep what arrived, unless it was to be checked
    }
    if let checksum {
      guard !cut, Array(hasher.finalize()) == checksum else {
        try? file.truncate(to: offset)
        if cut { throw TusError(.badRequest, "the connection ended before the chunk was complete; send it again") }
        throw TusError(
          TusProtocol.checksumMismatch,
          "the chunk's SHA-256 does not match Upload-Checksum; nothing was kept — send the chunk again",
          headers: [TusProtocol.uploadOffset: String(offset)])
      }
    }
    let now = Int(Date().timeIntervalSince1970)
    let expires = Timestamp.format(epochSeconds: now + configuration.limits.expirySeconds)
    let (rest, end, length) = (pending, offset + received, upload.lengthBytes)
    let complete = end == length
    let database = database
    let line = entry(token, "PATCH /uploads/\(id)", "upload \(id) received: \(length) bytes; queued for ingest")
    try await stored {
      try Self.write(rest, to: file, cuttingBackTo: offset)
      try file.sync()
      guard try await database.advanceUpload(id: id, from: offset, to: end, expiresAt: expires) else {
        throw TusError(.conflict, "upload \(id) moved while this chunk was written; ask with HEAD and resume")
      }
      guard complete else { return }
      try await database.setUploadState(
        id: id, to: .ingesting, at: Timestamp.format(epochSeconds: now), batchId: nil, reportJSON: nil,
        errorJSON: nil, audit: line)
    }
    metrics?.uploaded(bytes: end - offset)
    upload.offsetBytes = end
    upload.expiresAt = expires
    if complete {
      upload.state = .ingesting
      await queue.enqueue(upload)
    }
    return upload
  }

  /// tus termination: deletes an unfinished upload and its bytes.
  func terminate(token: AccessToken, id: String) async throws(TusError) {
    let upload = try await owned(id, by: token, action: "DELETE /uploads/\(id)")
    guard upload.state == .receiving else {
      throw TusError(
        .forbidden,
        "upload \(id) is complete and \(upload.state == .ingesting ? "being ingested" : "ingested"); it cannot be deleted"
      )
    }
    let (database, line) = (
      database,
      entry(
        token, "DELETE /uploads/\(id)",
        "upload \(id) deleted by the centre after \(upload.offsetBytes) of \(upload.lengthBytes) bytes")
    )
    let path = configuration.uploadPath(id)
    try await stored {
      // A PATCH in progress (on this or another server) holds the file's lock.
      let file = try? UploadFile(path: path, create: false)
      guard try file?.tryLock() ?? true else {
        throw TusError(.conflict, "a PATCH of upload \(id) is in progress (on this or another server); stop it first")
      }
      try await database.setUploadState(
        id: id, to: .terminated, at: Timestamp.now(), batchId: nil, reportJSON: nil, errorJSON: nil, audit: line)
      try? FileManager.default.removeItem(atPath: path)
      file?.close()
    }
  }

  // MARK: - Helpers

  func entry(_ token: AccessToken, _ request: String, _ summary: String) -> AuditEntry {
    AuditEntry(at: Timestamp.now(), operator: token.actor, command: "serve", arguments: request, summary: summary)
  }

  /// Appends an audit line for a refusal; a store that cannot take it is logged by the caller's 500, not here.
  func audit(_ token: AccessToken, _ request: String, _ summary: String) async {
    let (database, line) = (database, entry(token, request, summary))
    try? await stored { try await database.appendAudit(line) }
  }

  /// Runs `body` on the store's threads (`StoreThreads.perform`): a SQLite store's calls and the file's writes and
  /// fsync block one of them, never a cooperative thread. A `TusError` passes through; any other failure is the
  /// store's (500).
  func stored<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws(TusError) -> T {
    do { return try await threads.perform(body) } catch let error as TusError { throw error } catch {
      throw storeError(error)
    }
  }

  /// Appends `buffers` to `file`, cutting the file back to `offset` (nothing of the chunk kept) when a write fails.
  static func write(_ buffers: [ByteBuffer], to file: UploadFile, cuttingBackTo offset: Int64) throws(ExamError) {
    do {
      for buffer in buffers {
        try buffer.withUnsafeReadableBytes { (bytes) throws(ExamError) in try file.append(bytes) }
      }
    } catch {
      try? file.truncate(to: offset)
      throw error
    }
  }

  func storeError(_ error: any Error) -> TusError {
    TusError(
      .internalServerError,
      "the server could not save the upload (\(error)); try again, and tell the exam office if it persists")
  }
}
