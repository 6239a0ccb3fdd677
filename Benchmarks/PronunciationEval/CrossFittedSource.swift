import ExamCore
import Foundation
import Pronunciation

/// The generated source of `CrossFittedModels.standard` (`--cross-fitted-out`): the classifiers and phone-mark models
/// of the cross-validation's folds, and the digest of every answer each fold left out — so that the product,
/// meeting one of these answers, measures it as `--features-csv` does.
enum CrossFittedSource {
  static func make(
    learnerFolds: (models: [Int: FrameClassifier], speakers: [String]), encoderFolds: [Int: FrameClassifier],
    phoneMarks: PhoneMarkEval,
    utterances: [Utterance], scored: [Scored]
  ) throws -> String {
    let speakers = phoneMarks.answers.map { utterances[$0.utterance].speaker }
    let folds = Statistics.speakerFolds(speakers, folds: 5)
    // The classifiers' folds must hold the same speakers as the phone marks', or a fold's classifier would have
    // heard speakers its phone-mark model is meant to meet as new.
    guard Statistics.speakerFolds(learnerFolds.speakers, folds: 5) == folds, learnerFolds.models.count == 5,
      encoderFolds.count == 5,
      phoneMarks.foldModels.count == 5
    else {
      throw CorpusError(
        "--cross-fitted-out needs both classifiers and the phone marks cross-validated over the same five folds of"
          + " speakers: run with --every-phone yes --learner-frames yes --encoder-frames yes and without --limit")
    }
    var foldOfAnswer: [UInt64: Int] = [:]
    for (answer, speaker) in zip(phoneMarks.answers, speakers) {
      let digest = scored[answer.utterance].digest
      if let other = foldOfAnswer[digest], other != folds[speaker] {
        throw CorpusError(
          "two answers of speakers in different folds decode to the same audio (digest"
            + " \(SampleDigest.text(digest))): the fold of such an answer is ambiguous; remove the copy")
      }
      foldOfAnswer[digest] = folds[speaker]
    }
    let models = CrossFittedModels(
      folds: (0..<5).map {
        CrossFittedModels.Fold(
          frameClassifier: learnerFolds.models[$0], encoderClassifier: encoderFolds[$0],
          phoneMarks: phoneMarks.foldModels[$0])
      },
      foldOfAnswer: foldOfAnswer)
    return try GeneratedModel.source(
      models, option: "--cross-fitted-out",
      summary:
        "The models of the five speaker folds of speechocean762 and the answers each one left out (\(foldOfAnswer.count))."
    )
  }
}
