import Testing

@testable import Pronunciation

struct PromptTextTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let text: String
    let spoken: [String]
    var testDescription: String { text }
  }

  @Test(arguments: [
    Case(text: "I came 2nd", spoken: ["i", "came", "second"]),
    Case(text: "the U.S.A., please", spoken: ["the", "u", "s", "a", "please"]),
    Case(text: "Don't stop!", spoken: ["don't", "stop"]),
    Case(text: "It’s 21 degrees", spoken: ["it's", "twenty", "one", "degrees"]),
    Case(text: "the 3rd and 20th of May", spoken: ["the", "third", "and", "twentieth", "of", "may"]),
    Case(text: "1,000 people (50%)", spoken: ["one", "thousand", "people", "fifty", "percent"]),
    Case(text: "Tom & Jerry - again...", spoken: ["tom", "and", "jerry", "again"]),
    Case(text: "e.g. 7am", spoken: ["e", "g", "seven", "am"]),
    Case(text: "  ?! ", spoken: []),
  ])
  func spellsOutWhatIsRead(_ c: Case) {
    #expect(PromptText(c.text).words.map(\.spoken) == c.spoken)
  }

  @Test func keepsTheWrittenTokenOfEachSpokenWord() {
    let prompt = PromptText("Flight 15 to the U.K.")
    #expect(prompt.words.map(\.tokenIndex) == [0, 1, 2, 3, 4, 4])
  }

  @Test func readsNumbersUpToThousands() {
    #expect(NumberWords.spoken("1999") == ["one", "thousand", "nine", "hundred", "ninety", "nine"])
    #expect(NumberWords.spoken("12", ordinal: true) == ["twelfth"])
    #expect(NumberWords.spoken("1234567") == ["one", "two", "three", "four", "five", "six", "seven"])
  }
}
