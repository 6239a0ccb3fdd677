import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A bare TCP connection to 127.0.0.1, for what an HTTP client library will not do: stop half-way through a
/// body, or send one byte and then nothing.
final class RawConnection {
  private var descriptor: Int32

  init(port: Int) throws {
    descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard descriptor >= 0, connected == 0 else { throw POSIXError(.ECONNREFUSED) }
  }

  func send(_ text: String) { send(Array(text.utf8)) }

  func send(_ bytes: [UInt8]) {
    var done = 0
    while done < bytes.count {
      let n = bytes[done...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
      if n <= 0 { return }
      done += n
    }
  }

  /// Reads until the server closes the connection or `seconds` pass; returns what arrived and whether it closed.
  /// Waits by sleeping, not by blocking: the server under test runs on the same cooperative threads.
  func readUntilClosed(seconds: Double) async throws -> (text: String, closed: Bool) {
    var received: [UInt8] = []
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    var buffer = [UInt8](repeating: 0, count: 4096)
    while ContinuousClock.now < deadline {
      var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
      guard poll(&poller, 1, 0) > 0 else {
        try await Task.sleep(for: .milliseconds(20))
        continue
      }
      let n = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if n <= 0 { return (String(decoding: received, as: UTF8.self), true) }
      received += buffer[0..<n]
    }
    return (String(decoding: received, as: UTF8.self), false)
  }

  func close() {
    if descriptor >= 0 { _ = Glibc.close(descriptor) }
    descriptor = -1
  }

  deinit { close() }
}
