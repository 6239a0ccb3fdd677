#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Encodes UTF-8 text as GB18030 with glibc's iconv, as Excel on Chinese Windows would save it.
public func gb18030Bytes(_ text: String) -> [UInt8] {
  let handle: iconv_t? = iconv_open("GB18030", "UTF-8")
  guard let handle, handle != iconv_t(bitPattern: -1) else { preconditionFailure("this system's iconv has no GB18030") }
  defer { iconv_close(handle) }
  var input = Array(text.utf8)
  var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
  let produced = input.withUnsafeMutableBufferPointer { inBuffer in
    output.withUnsafeMutableBufferPointer { outBuffer in
      var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress)?.assumingMemoryBound(
        to: CChar.self)
      var inLeft = inBuffer.count
      var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress)?
        .assumingMemoryBound(to: CChar.self)
      var outLeft = outBuffer.count
      precondition(iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft) != -1)
      return outBuffer.count - outLeft
    }
  }
  return Array(output.prefix(produced))
}
