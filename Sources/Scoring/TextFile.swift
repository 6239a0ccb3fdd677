import ExamCore
import Foundation

/// Reading small text files (CSV, JSON) with errors that name the file.
enum TextFile {
  /// The UTF-8 text of `path`.
  /// - Throws: `ExamError.notFound` when it does not exist, `.io` when it cannot be read.
  static func read(_ path: String) throws(ExamError) -> String {
    guard FileSystem.exists(path) else {
      throw ExamError(.notFound, file: path, "the file does not exist", fix: "check the path")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ExamError(.io, file: path, "cannot read the file", fix: "check its permissions")
    }
    return String(decoding: data, as: UTF8.self)
  }
}
