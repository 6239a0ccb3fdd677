import ExamCore
import Testing

@testable import MarkingServer

@Suite struct PasswordHashingTests {
  @Test func hashVerifiesOnlyTheSamePassword() throws {
    let hashing = PasswordHashing(cost: PasswordHashing.minimumCost)
    let hash = try hashing.hash("correct horse battery")
    #expect(hash.hasPrefix("$2"))
    #expect(!hash.contains("correct"))
    #expect(PasswordHashing.verify("correct horse battery", hash: hash))
    #expect(!PasswordHashing.verify("correct horse battery!", hash: hash))
    #expect(try hashing.hash("correct horse battery") != hash)  // salted
  }

  @Test func shortPasswordsAreRefused() {
    let error = #expect(throws: ExamError.self) { try PasswordHashing().hash("short") }
    #expect(error?.code == .invalidInput)
  }
}
