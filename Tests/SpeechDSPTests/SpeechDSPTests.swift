import Testing

@testable import SpeechDSP
