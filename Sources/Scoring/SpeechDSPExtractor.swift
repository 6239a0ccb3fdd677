import ExamCore
import SpeechDSP

/// Features from SpeechDSP's analyser: decode to 16 kHz mono, measure, return `SpeechFeatures.namedValues`.
public struct SpeechDSPExtractor: FeatureExtractor {
  public var analyzer: SpeechAnalyzer

  public init(analyzer: SpeechAnalyzer = SpeechAnalyzer()) { self.analyzer = analyzer }

  public func features(audioPath: String, referencePath: String?) throws(ExamError) -> [String: Double] {
    try analyzer.analyze(path: audioPath, referencePath: referencePath).namedValues
  }
}
