import ExamCore
import Foundation

/// Forced alignment of canonical phones with pocketsphinx, at the vocal-tract warp the answer's pitch picks (or at
/// every warp of the settings, keeping the best fit).
///
/// The library has no public phone-alignment API, so each phone is a "word" of a one-phone dictionary
/// (`ph_aa` → `AA`) and the prompt becomes a JSGF grammar of those words: a word's pronunciations are
/// alternatives, an optional `SIL` may stand between words. The FSG search then returns one segment per phone
/// (`ps_seg_frames`, `ps_seg_prob`), with cross-word triphones, in a single pass.
///
/// Vocal tract length normalisation: the model was trained on adults; a child's (or a woman's) shorter vocal
/// tract puts every formant higher. One decoder per warp in `AlignerSettings.frequencyWarps`; the answer's median
/// pitch picks the warp (`AlignerSettings.warp(forPitchHz:)`), or, without a pitch, every warp decodes the answer
/// and the alignment with the best acoustic score per frame is kept (maximum likelihood over a grid, as in Lee &
/// Rose's VTLN). No expert mark enters the choice.
///
/// Owns one `PocketSphinxDecoder` per warp. Not `Sendable`: a decoder keeps the state of the utterance being
/// decoded, so each task makes its own (loading the model takes a fraction of a second per warp).
public final class PhoneAligner {
  public let settings: AlignerSettings
  private let decoders: [(warp: Double, decoder: PocketSphinxDecoder)]
  /// The model's Gaussians, to score the chosen alignment's frames against every phone; nil when the settings
  /// turn that off.
  private let senones: SenoneModel?

  /// The ARPAbet phones of the en-us model (without stress), the only labels a grammar may use.
  public static let phones: Set<String> = [
    "AA", "AE", "AH", "AO", "AW", "AY", "B", "CH", "D", "DH", "EH", "ER", "EY", "F", "G", "HH", "IH", "IY", "JH", "K",
    "L", "M", "N", "NG", "OW", "OY", "P", "R", "S", "SH", "T", "TH", "UH", "UW", "V", "W", "Y", "Z", "ZH",
  ]
  /// Natural-log units per pocketsphinx score unit: scores are log base 1.0001 shifted right by 10 bits
  /// (`SENSCR_SHIFT`), so one unit ≈ 0.1 nat.
  public static let natsPerScoreUnit = 1024 * log(1.0001)

  /// Loads the model once per warp.
  /// - Throws: `ExamError.notFound` when the model is missing, `.state` when pocketsphinx refuses it or the
  ///   settings name no warp.
  public init(model: AcousticModel, settings: AlignerSettings = .standard) throws(ExamError) {
    guard !settings.frequencyWarps.isEmpty, settings.frequencyWarps.allSatisfy({ $0 >= 0.5 && $0 <= 1.5 }) else {
      throw ExamError(
        .state, "the aligner's vocal-tract warps \(settings.frequencyWarps) are not usable",
        fix: "give AlignerSettings.frequencyWarps one or more factors between 0.5 and 1.5 (1 = not warped)")
    }
    let thresholds = settings.warpPitchThresholdsHz
    guard thresholds == thresholds.sorted(), thresholds.allSatisfy({ $0 > 0 }) else {
      throw ExamError(
        .state, "the aligner's pitch thresholds \(thresholds) are not ascending frequencies",
        fix: "give AlignerSettings.warpPitchThresholdsHz in Hz from low to high, one fewer than frequencyWarps")
    }
    self.settings = settings
    var decoders: [(warp: Double, decoder: PocketSphinxDecoder)] = []
    for warp in settings.frequencyWarps {
      decoders.append((warp, try PocketSphinxDecoder(model: model, settings: settings, frequencyWarp: warp)))
    }
    self.decoders = decoders
    senones = settings.scoresEveryPhone ? try SenoneModel.load(model.hmmDirectory) : nil
  }

  /// Aligns 16 kHz mono samples with the prompt's phones at the warp the pitch picks, or at every warp keeping the
  /// best fit.
  /// - Parameters:
  ///   - samples: 16-bit samples at 16 kHz.
  ///   - words: per word, its pronunciations (each a list of phones from `PhoneAligner.phones`).
  ///   - medianPitchHz: the answer's median F0 (SpeechDSP's `f0_median_hz`), nil when unknown or unvoiced.
  /// - Returns: the segments in time order (phones and silences) and the warp they were found at, or nil when
  ///   the search does not reach the end of the grammar (the answer does not fit the prompt within the beams).
  public func align(_ samples: UnsafeBufferPointer<Int16>, words: [[[String]]], medianPitchHz: Double? = nil)
    -> Alignment?
  {
    let chosen = settings.warp(forPitchHz: medianPitchHz)
    var best: (alignment: Alignment, decoder: PocketSphinxDecoder)?
    for (warp, decoder) in decoders where chosen == nil || chosen == warp {
      guard let segments = decoder.align(samples, words: words) else { continue }
      let found = Alignment(segments: segments, frequencyWarp: warp, frames: nil)
      // Ties keep the earlier warp, so the order of `frequencyWarps` decides them and the result is deterministic.
      if best.map({ found.scorePerFrame > $0.alignment.scorePerFrame }) ?? true { best = (found, decoder) }
    }
    guard let best else { return nil }
    var alignment = best.alignment
    if let senones {
      Self.addEvidence(
        to: &alignment, samples, decoder: best.decoder, model: senones, frameStep: settings.posteriorFrameStep)
    }
    return alignment
  }

  /// Scores the alignment's phone frames (every `frameStep`-th of each phone, its first always) against every
  /// phone of the model, with the winning warp's front end, and gives each phone segment its evidence. Leaves the
  /// segments without it when the front end refuses the samples.
  private static func addEvidence(
    to alignment: inout Alignment, _ samples: UnsafeBufferPointer<Int16>, decoder: PocketSphinxDecoder,
    model: SenoneModel, frameStep: Int
  ) {
    // The features must be the frames the segments count; anything else would score the wrong frames.
    guard
      let features = decoder.features(samples, streams: model.streams, streamLength: model.streamLength),
      let last = alignment.segments.last, last.startFrame + last.frameCount <= features.frameCount
    else { return }
    // Only the prompt's phones are reported: silences are not scored.
    let phoneSegments = alignment.segments.indices.filter { alignment.segments[$0].phone != "SIL" }
    let selected = phoneSegments.flatMap { index in
      let segment = alignment.segments[index]
      let end = min(segment.startFrame + segment.frameCount, features.frameCount)
      return Array(stride(from: segment.startFrame, to: end, by: max(1, frameStep)))
    }
    alignment.frames = FeatureFrames(values: features.values, frameCount: features.frameCount)
    let posteriors = PhonePosteriors(
      features: features.values, frameCount: features.frameCount, selected: selected, model: model)
    for index in phoneSegments {
      let segment = alignment.segments[index]
      guard let phone = model.index(of: segment.phone) else { continue }
      alignment.segments[index].evidence = posteriors.evidence(
        for: phone, frames: segment.startFrame..<segment.startFrame + segment.frameCount)
    }
  }

  /// The JSGF grammar: optional silence, then each word's pronunciations as alternatives, silence between words.
  static func grammar(for words: [[[String]]]) -> String {
    let body = words.map { variants in
      let alternatives = variants.map { $0.map { "ph_" + $0.lowercased() }.joined(separator: " ") }
      return alternatives.count == 1 ? alternatives[0] : "( " + alternatives.joined(separator: " | ") + " )"
    }.joined(separator: " [ sil_ ] ")
    return "#JSGF V1.0; grammar align; public <s> = [ sil_ ] \(body) [ sil_ ];"
  }
}

/// A forced alignment and the vocal-tract warp of the front end that produced it.
public struct Alignment: Sendable, Equatable {
  public var segments: [AlignedSegment]
  /// The factor the mel filters were warped by (1 = not warped; below 1 fits a shorter vocal tract).
  public var frequencyWarp: Double
  /// The winning warp's feature frames, which the segments count (nil without every-phone scoring).
  public var frames: FeatureFrames?

  /// The whole alignment's acoustic score (phones and silences) per frame, in pocketsphinx units: the fit that
  /// chooses between warps when no pitch does.
  public var scorePerFrame: Double { AlignedSegment.scorePerFrame(segments) ?? -.infinity }
}
