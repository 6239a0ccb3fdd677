import Foundation

/// Debian's headless Chromium driven by Selenium from python3, for the browser tests of the server pages
/// (Tools/browser-*-test.py); Tools/bootstrap installs chromium, chromium-driver and python3-selenium.
public enum HeadlessBrowser {
  /// Debian's python3, where `python3-selenium` is installed.
  public static let python = "/usr/bin/python3"

  /// Whether chromium, chromedriver and Selenium are all here; when not, prints a note naming `what` is skipped
  /// and how to install them.
  public static func isAvailable(for what: String) -> Bool {
    let tools = ["/usr/bin/chromium", "/usr/bin/chromedriver"].allSatisfy {
      FileManager.default.isExecutableFile(atPath: $0)
    }
    let selenium = Process()
    selenium.executableURL = URL(fileURLWithPath: python)
    selenium.arguments = ["-c", "import selenium"]
    selenium.standardError = FileHandle.nullDevice
    let hasSelenium =
      (try? selenium.run()).map {
        selenium.waitUntilExit()
        return selenium.terminationStatus == 0
      } ?? false
    if !(tools && hasSelenium) {
      print(
        "note: chromium, chromedriver or python3-selenium is missing; \(what) is skipped "
          + "(apt-get install chromium chromium-driver python3-selenium)")
    }
    return tools && hasSelenium
  }
}
