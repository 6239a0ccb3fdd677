import ExamCore
import Foundation

/// Why an uploaded batch was refused as a whole, as the upload keeps it for the centre (`GET /uploads/ID/report`
/// answers 422 with it) — the same whether `exam serve` ingested the upload or an ingest worker did.
public enum UploadRefusal {
  /// `error` naming the upload as the centre knows it (`fileName`, else "the upload"), not the server's `path`.
  public static func named(_ error: ExamError, path: String, fileName: String) -> ExamError {
    var error = error
    if error.file == path { error.file = fileName.isEmpty ? "the upload" : fileName }
    return error
  }

  /// `{"code": …, "message": …}` of `error`.
  public static func json(_ error: ExamError) -> String {
    let fields = ["code": error.code.rawValue, "message": error.description]
    guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]) else { return "{}" }
    return String(decoding: data, as: UTF8.self)
  }
}
