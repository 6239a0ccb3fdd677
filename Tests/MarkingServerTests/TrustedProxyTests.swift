import ExamCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ExamCLI
@testable import MarkingServer

/// `exam serve --trusted-proxy ADDR`: the login limiter takes the client's address from X-Forwarded-For only when
/// the peer is a trusted proxy.
@Suite struct TrustedProxyTests {
  @Test func theClientIsTheFirstUntrustedAddressFromTheRight() throws {
    let proxies = try TrustedProxies(["10.0.0.1", "10.0.0.2", "::1"])
    // No trusted proxy in front: the header is whatever the client wrote, so it is ignored.
    #expect(proxies.clientAddress(peer: "198.51.100.7", forwardedFor: ["203.0.113.9"]) == "198.51.100.7")
    #expect(try TrustedProxies().clientAddress(peer: "10.0.0.1", forwardedFor: ["203.0.113.9"]) == "10.0.0.1")
    // One trusted proxy: the address it appended.
    #expect(proxies.clientAddress(peer: "10.0.0.1", forwardedFor: ["203.0.113.9"]) == "203.0.113.9")
    // The client wrote its own header before the proxy appended: the spoofed left entry is not used.
    #expect(proxies.clientAddress(peer: "10.0.0.1", forwardedFor: ["1.2.3.4, 203.0.113.9"]) == "203.0.113.9")
    // Two trusted proxies in a row, the header split over two lines.
    #expect(
      proxies.clientAddress(peer: "10.0.0.2", forwardedFor: ["1.2.3.4, 203.0.113.9", "10.0.0.1"]) == "203.0.113.9")
    // Garbage where the client's address should be: the last trusted hop, never the text.
    #expect(proxies.clientAddress(peer: "10.0.0.1", forwardedFor: ["evil-host"]) == "10.0.0.1")
    // No header from a trusted proxy: the proxy itself.
    #expect(proxies.clientAddress(peer: "10.0.0.1", forwardedFor: []) == "10.0.0.1")
    // IPv6 written another way, and IPv4-mapped IPv6 peers.
    #expect(proxies.clientAddress(peer: "0:0:0:0:0:0:0:1", forwardedFor: ["2001:DB8::5"]) == "2001:db8::5")
    #expect(proxies.clientAddress(peer: "::ffff:10.0.0.1", forwardedFor: ["203.0.113.9"]) == "203.0.113.9")
    #expect(proxies.clientAddress(peer: nil, forwardedFor: ["203.0.113.9"]) == "unknown")
  }

  @Test(arguments: ["proxy.example.org", "10.0.0.1:8080", "10.0.0.0/8", ""])
  func anAddressThatIsNotOneIsRefused(_ text: String) {
    let error = #expect(throws: ExamError.self) { try TrustedProxies([text]) }
    #expect(error?.code == .invalidInput)
    #expect(error?.fix?.contains("127.0.0.1") == true)
  }

  @Test func serveTakesTheOptionRepeatedAndRefusesABadOne() throws {
    let serve = try #require(
      try ExamCommand.parseAsRoot(["serve", "--trusted-proxy", "127.0.0.1", "--trusted-proxy", "::1"])
        as? ExamCommand.Serve)
    #expect(try serve.trustedProxies() == TrustedProxies(["127.0.0.1", "::1"]))
    do {
      _ = try ExamCommand.parseAsRoot(["serve", "--trusted-proxy", "proxy.local"])
      Issue.record("accepted --trusted-proxy proxy.local")
    } catch {
      #expect(ExamCommand.message(for: error).contains("'--trusted-proxy' needs an IP address (got 'proxy.local')"))
    }
  }

  /// Over real sockets (the peer is the loopback address): three wrong passwords from one client address shut that address out.
  /// Untrusted, a forged X-Forwarded-For does not help the attacker; behind a trusted proxy, another client behind
  /// the same proxy can still log in.
  @Test(arguments: [false, true])
  func theLimiterCountsTheClientBehindATrustedProxyOnly(_ trusted: Bool) async throws {
    let f = try await DeskFixture()
    var configuration = f.configuration()
    configuration.maximumFailuresPerAddress = 3
    // HummingbirdTesting's live server listens on "localhost": the peer is 127.0.0.1 or ::1.
    if trusted { configuration.trustedProxies = try TrustedProxies(["127.0.0.1", "::1"]) }
    try await f.application(configuration).test(.live) { client in
      var attacker = DeskClient(client)
      let forwarded: HTTPFields = [TrustedProxies.forwardedFor: "203.0.113.5"]
      for rater in ["R1", "R2", "R3"] {
        #expect(try await attacker.login(rater, password: "wrong password", headers: forwarded) == .unauthorized)
      }
      #expect(try await attacker.login("R4", headers: forwarded) == .tooManyRequests)
      // The attacker writes another address in the header.
      var forger = DeskClient(client)
      #expect(
        try await forger.login("R4", headers: [TrustedProxies.forwardedFor: "198.51.100.1, 203.0.113.5"])
          == .tooManyRequests)
      // Someone else behind the proxy.
      var colleague = DeskClient(client)
      let status = try await colleague.login("R4", headers: [TrustedProxies.forwardedFor: "203.0.113.77"])
      #expect(status == (trusted ? .seeOther : .tooManyRequests))
    }
    let refused = try await f.database.auditTrail(limit: nil).filter {
      $0.summary.hasPrefix("login refused: too many wrong")
    }
    let expected = trusted ? ["from 203.0.113.5"] : ["from 127.0.0.1", "from ::1"]
    #expect(refused.first.map { expected.contains($0.arguments) } == true, "\(refused.first?.arguments ?? "none")")
  }
}
