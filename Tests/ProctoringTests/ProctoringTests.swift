import Testing

@testable import Proctoring
