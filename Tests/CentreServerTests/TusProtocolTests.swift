import Foundation
import Testing

@testable import CentreServer

@Suite("CentreServer: tus headers")
struct TusProtocolTests {
  @Test func metadataPairsDecodeFromBase64() throws {
    let parsed = try TusProtocol.metadata("filename dDAxLnppcA==,session QU0=,flag")
    #expect(parsed == ["filename": "t01.zip", "session": "AM", "flag": ""])
  }

  struct Bad: Sendable, CustomTestStringConvertible {
    var header: String
    var message: String
    var testDescription: String { header }
  }

  @Test(arguments: [
    Bad(
      header: "filename not*base64",
      message: "Upload-Metadata: the value of 'filename' is not base64-encoded UTF-8 ('not*base64')"),
    Bad(header: "a b c", message: "Upload-Metadata: 'a b c' is not 'key base64value' (pairs are separated by commas)"),
    Bad(header: "a YQ==,a Yg==", message: "Upload-Metadata: key 'a' is given twice"),
  ])
  func malformedMetadataIsRefusedWithAMessage(_ c: Bad) {
    #expect(throws: TusError(.badRequest, c.message)) { try TusProtocol.metadata(c.header) }
  }

  @Test func byteCountsMustBePlainDecimals() throws {
    #expect(try TusProtocol.byteCount("1024", header: TusProtocol.uploadLength) == 1024)
    #expect(try TusProtocol.byteCount(nil, header: TusProtocol.uploadLength) == nil)
    for bad in ["-1", "1e3", "", " 12", "0x10", "99999999999999999999"] {
      #expect(throws: TusError.self) { try TusProtocol.byteCount(bad, header: TusProtocol.uploadOffset) }
    }
  }

  @Test func checksumsMustBeSHA256InBase64() throws {
    let digest = [UInt8](repeating: 7, count: 32)
    #expect(try TusProtocol.sha256Checksum("sha256 " + Data(digest).base64EncodedString()) == digest)
    #expect(throws: TusError(.badRequest, "Upload-Checksum: algorithm 'md5' is not supported; use sha256")) {
      try TusProtocol.sha256Checksum("md5 AAAA")
    }
    #expect(throws: TusError.self) { try TusProtocol.sha256Checksum("sha256 AAAA") }
    #expect(throws: TusError.self) { try TusProtocol.sha256Checksum("sha256") }
  }

  @Test func expiryDatesAreHTTPDates() {
    #expect(TusProtocol.httpDate(epochSeconds: 1_403_712_000) == "Wed, 25 Jun 2014 16:00:00 GMT")
  }

  @Test func tokensAreReadFromBearerOrBasic() {
    #expect(AccessTokens.secret(fromAuthorization: "Bearer exk_abc") == "exk_abc")
    #expect(
      AccessTokens.secret(fromAuthorization: "Basic " + Data("office:exk_abc".utf8).base64EncodedString()) == "exk_abc")
    #expect(AccessTokens.secret(fromAuthorization: "Token exk_abc") == nil)
    #expect(AccessTokens.secret(fromAuthorization: nil) == nil)
  }
}
