import Testing

@testable import Allocation
