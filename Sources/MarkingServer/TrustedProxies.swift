import ExamCore
import HTTPTypes
import NIOCore

/// The reverse proxies allowed to say who the client is (`exam serve --trusted-proxy ADDR`, repeatable).
///
/// The desk limits wrong passwords per client address. Behind a proxy every request comes from the proxy's address,
/// so the client's address must come from `X-Forwarded-For` — but only when the peer is a proxy we trust: anybody
/// else could write any address there and escape the limit. The header is read from the right (each proxy appends
/// the address it got the request from): the first address that is not a trusted proxy is the client's. With no
/// trusted proxy, or a peer that is not one, the header is ignored and the peer's address is the client's.
public struct TrustedProxies: Sendable, Equatable {
  /// The trusted addresses, in canonical form (`SocketAddress`'s text: IPv6 compressed, IPv4-mapped IPv6 as IPv4).
  public let addresses: Set<String>

  static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
  /// No proxy is trusted: `X-Forwarded-For` is ignored.
  public static let none = TrustedProxies(canonical: [])

  private init(canonical: Set<String>) { addresses = canonical }

  /// - Throws: `ExamError.invalidInput` naming an entry that is not an IPv4 or IPv6 address.
  public init(_ addresses: [String] = []) throws(ExamError) {
    var canonical: Set<String> = []
    for text in addresses {
      guard let address = Self.canonical(text) else {
        throw ExamError(
          .invalidInput, location: "--trusted-proxy \(text)", "'\(text)' is not an IP address",
          fix: "give the proxy's address as it connects to this server, such as 127.0.0.1 or ::1 (one per option)")
      }
      canonical.insert(address)
    }
    self.addresses = canonical
  }

  /// `text` as a canonical IP address, or nil when it is not one (a host name, a port, a range).
  public static func canonical(_ text: String) -> String? {
    let trimmed = text.trimmingSpaces()
    guard !trimmed.isEmpty, let address = try? SocketAddress(ipAddress: trimmed, port: 0), let ip = address.ipAddress
    else { return nil }
    let mapped = "::ffff:"
    if ip.lowercased().hasPrefix(mapped),
      let v4 = try? SocketAddress(ipAddress: String(ip.dropFirst(mapped.count)), port: 0), case .v4 = v4
    {
      return v4.ipAddress
    }
    return ip
  }

  /// The address the desk counts wrong passwords against: the peer's, or — when the peer is a trusted proxy — the
  /// first address from the right of `X-Forwarded-For` that is not a trusted proxy. An entry that is not an address
  /// ends the walk at the last trusted hop (never at text the client could choose). "unknown" without a peer.
  public func clientAddress(peer: String?, forwardedFor: [String]) -> String {
    guard let peer, let peerAddress = Self.canonical(peer) else { return peer ?? "unknown" }
    guard addresses.contains(peerAddress) else { return peerAddress }
    var client = peerAddress
    let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { String($0) }
    for hop in hops.reversed() {
      guard let address = Self.canonical(hop) else { return client }
      client = address
      if !addresses.contains(address) { return address }
    }
    return client
  }

  /// The client address of `request` from `peer` (the connection's remote address).
  func clientAddress(peer: String?, headers: HTTPFields) -> String {
    clientAddress(peer: peer, forwardedFor: headers[values: Self.forwardedFor])
  }
}
