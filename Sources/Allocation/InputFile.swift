import ExamCore
import Foundation

/// Reading input files with errors that name the file.
enum InputFile {
  /// The bytes of `path`.
  /// - Throws: `ExamError.notFound` when it does not exist, `.io` when it cannot be read.
  static func bytes(_ path: String) throws(ExamError) -> [UInt8] {
    guard FileSystem.exists(path) else {
      throw ExamError(.notFound, file: path, "there is no such file", fix: "check the path")
    }
    guard !FileSystem.isDirectory(path), let data = FileManager.default.contents(atPath: path) else {
      throw ExamError(.io, file: path, "cannot be read", fix: "give a readable file, not a folder")
    }
    return [UInt8](data)
  }
}
