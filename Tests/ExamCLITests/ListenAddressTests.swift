import Testing

@testable import ExamCLI

/// `--listen` (`exam serve`) and `--metrics-listen` (`exam score run --worker`) share one parser.
@Suite struct ListenAddressTests {
  @Test func listenAddressesAreParsedOrRefused() {
    let portOnly = ListenAddress(argument: "9464")
    #expect(portOnly?.host == "127.0.0.1" && portOnly?.port == 9464)
    let full = ListenAddress(argument: "0.0.0.0:9464")
    #expect(full?.host == "0.0.0.0" && full?.port == 9464)
    for bad in ["", "host:", "host:99999", ":80x"] {
      #expect(ListenAddress(argument: bad) == nil, "\(bad)")
    }
  }
}
