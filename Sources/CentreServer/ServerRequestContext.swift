import Hummingbird
import NIOCore

/// The request context of `exam serve`: Hummingbird's basics plus the peer's address (the marking desk limits wrong
/// passwords per address; nil in router tests).
public struct ServerRequestContext: RequestContext, RemoteAddressRequestContext {
  public var coreContext: CoreRequestContextStorage
  public let remoteAddress: SocketAddress?

  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    remoteAddress = source.channel.remoteAddress
  }
}
