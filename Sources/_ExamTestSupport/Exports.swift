@_exported import struct ExamCore.SplitMix64
