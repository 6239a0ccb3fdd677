import Pronunciation

struct EvalOptions {
  var dataFolder = "../shared/data/speechocean762"
  var jobs = 1
  var limit: Int?
  var settings = AlignerSettings.standard
  var phonesCSV: String?
  var printDurations = false
  var printNorms = false
  /// Per answer SpeechDSP's and the pronunciation features, as `exam score batch` writes them (`FeatureTable`).
  var featuresCSV: String?
  /// Also score each answer against the next answer's prompt (a wrong sentence) and compare.
  var wrongPrompts = false
  /// The answer's median pitch picks the vocal-tract warp (the scorer's standard); false: the best fit of all warps.
  var pitchPicksWarp = true
  /// Where to write `PhoneMarkModel.standard` trained on every matched phone (a Swift source).
  var phoneModelOut: String?
  /// Trees of the phone-mark model (`BoostedTrees.Settings.trees`).
  var phoneModelTrees = BoostedTrees.Settings().trees
  var phoneModelDepth = BoostedTrees.Settings().depth
  /// Share of the inputs each tree may split on (`BoostedTrees.Settings.featureShare`).
  var phoneModelFeatureShare = BoostedTrees.Settings().featureShare
  /// Folds of the phone-mark model's second stage (`PhoneMarkModel.context`); 0: none.
  var phoneModelContextFolds = 4
  /// Show each phone the mean of the other folds' models' marks (`PhoneMarkEval.bagsShownMarks`).
  var bagShownMarks = true
  /// Cross-fit `FrameClassifier` (trained on the other folds' learners) and give the phone marks its measures.
  var learnerFrames = true
  /// Where to write `FrameClassifier.standard` trained on every answer (a Swift source).
  var learnerModelOut: String?
  /// Where to write the generated source of `CrossFittedModels.standard`: the folds' classifiers and phone-mark
  /// models, and which answer each fold left out.
  var crossFittedOut: String?
  var learnerSettings = FrameClassifier.Settings()
  /// Cross-fit the speech encoder's phone classifier and give the phone marks its measures.
  var encoderFrames = true
  /// Where to write `FrameClassifier.standardEncoder` trained on every answer (a Swift source).
  var encoderModelOut: String?
  var encoderSettings = EvalOptions.standardEncoderSettings

  /// The encoder's phone classifier: each encoder frame with one frame either side (±24 ms; each frame already
  /// hears the whole answer, but a phone's edges are sharper beside its neighbours: docs/accuracy.md, "An English
  /// speech encoder"), not standardised per answer; the learners' classifier's units and epochs.
  static var standardEncoderSettings: FrameClassifier.Settings {
    var settings = FrameClassifier.Settings()
    settings.contextFrames = 1
    settings.standardisesEachAnswer = false
    return settings
  }

  mutating func parse(_ arguments: [String]) throws {
    var iterator = arguments.makeIterator()
    func value(_ name: String) throws -> String {
      guard let next = iterator.next() else { throw CorpusError("\(name) needs a value") }
      return next
    }
    func number(_ name: String) throws -> Double {
      let text = try value(name)
      guard let parsed = Double(text), parsed > 0 else {
        throw CorpusError("\(name): '\(text)' is not a positive number")
      }
      return parsed
    }
    /// Hidden layers' units, comma-separated ("256,256").
    func units(_ name: String) throws -> [Int] {
      try value(name).split(separator: ",").map { text in
        guard let units = Int(text), units > 0 else { throw CorpusError("\(name): '\(text)' is not a count") }
        return units
      }
    }
    while let argument = iterator.next() {
      switch argument {
      case "--data": dataFolder = try value(argument)
      case "--jobs": jobs = Int(try number(argument))
      case "--limit": limit = Int(try number(argument))
      case "--beam": settings.beam = try number(argument)
      case "--all-senones": settings.scoreAllSenones = try value(argument) != "no"
      case "--every-phone": settings.scoresEveryPhone = try value(argument) != "no"
      case "--posterior-step": settings.posteriorFrameStep = Int(try number(argument))
      case "--topn": settings.topGaussians = Int(try number(argument))
      case "--ds": settings.frameDownsampling = Int(try number(argument))
      case "--warps":
        let text = try value(argument)
        let warps = text.split(separator: ",").compactMap { Double($0) }
        guard !warps.isEmpty, warps.count == text.split(separator: ",").count else {
          throw CorpusError("--warps: '\(text)' is not a comma-separated list of factors (e.g. 1,0.7)")
        }
        settings.frequencyWarps = warps
      case "--warp-by":
        switch try value(argument) {
        case "pitch": pitchPicksWarp = true
        case "fit": pitchPicksWarp = false
        case let other: throw CorpusError("--warp-by: '\(other)' is neither pitch nor fit")
        }
      case "--margin": settings.silenceMarginSeconds = try number(argument)
      case "--phones-csv": phonesCSV = try value(argument)
      case "--durations": printDurations = true
      case "--norms": printNorms = true
      case "--features-csv": featuresCSV = try value(argument)
      case "--wrong-prompts": wrongPrompts = true
      case "--phone-model-out": phoneModelOut = try value(argument)
      case "--phone-model-trees": phoneModelTrees = Int(try number(argument))
      case "--phone-model-depth": phoneModelDepth = Int(try number(argument))
      case "--phone-model-context-folds":
        let text = try value(argument)
        guard let folds = Int(text), folds == 0 || folds >= 2 else {
          throw CorpusError(
            "--phone-model-context-folds: '\(text)' is neither 0 (no second stage) nor a count of 2 or more")
        }
        phoneModelContextFolds = folds
      case "--phone-model-feature-share": phoneModelFeatureShare = try number(argument)
      case "--learner-frames": learnerFrames = try value(argument) != "no"
      case "--learner-model-out": learnerModelOut = try value(argument)
      case "--cross-fitted-out": crossFittedOut = try value(argument)
      case "--bag-shown-marks": bagShownMarks = try value(argument) != "no"
      case "--learner-hidden": learnerSettings.hiddenUnits = try units(argument)
      case "--learner-epochs": learnerSettings.epochs = Int(try number(argument))
      case "--learner-context": learnerSettings.contextFrames = Int(try number(argument))
      case "--learner-per-answer": learnerSettings.standardisesEachAnswer = try value(argument) != "no"
      case "--learner-min-mark": learnerSettings.minimumMark = try number(argument)
      case "--learner-rate": learnerSettings.learningRate = Float(try number(argument))
      case "--encoder-frames": encoderFrames = try value(argument) != "no"
      case "--encoder-model-out": encoderModelOut = try value(argument)
      case "--encoder-hidden": encoderSettings.hiddenUnits = try units(argument)
      case "--encoder-epochs": encoderSettings.epochs = Int(try number(argument))
      case "--encoder-context":
        let text = try value(argument)
        guard let frames = Int(text), frames >= 0 else {
          throw CorpusError("--encoder-context: '\(text)' is not a count of frames (0 or more)")
        }
        encoderSettings.contextFrames = frames
      case "--encoder-per-answer": encoderSettings.standardisesEachAnswer = try value(argument) != "no"
      default:
        throw CorpusError(
          "unknown option '\(argument)' (see the usage at the top of Benchmarks/PronunciationEval/main.swift)")
      }
    }
  }
}
