import Foundation

/// The shared data folder (`../shared/data` beside the checkout), when it exists.
///
/// Tests that need it use `.enabled(if: SharedData.isAvailable)` and print why they skip.
public enum SharedData {
  /// The repository root, found from this file's path.
  public static let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
  }()

  /// `../shared/data`, or `$EXAMKIT_SHARED_DATA` when set.
  public static let root: String = {
    if let custom = ProcessInfo.processInfo.environment["EXAMKIT_SHARED_DATA"] { return custom }
    return URL(fileURLWithPath: repositoryRoot).deletingLastPathComponent().appendingPathComponent("shared/data").path
  }()

  public static var isAvailable: Bool {
    let available = FileManager.default.fileExists(atPath: root + "/speechocean762/scores.csv")
    if !available { print("note: ../shared/data is absent (\(root)); tests that read it are skipped") }
    return available
  }

  public static func path(_ relative: String) -> String { root + "/" + relative }
}
