internal import CPocketSphinx
import ExamCore
import Foundation

/// One pocketsphinx decoder (Debian's 0.8+5prealpha) set up for forced alignment of one-phone "words", at one
/// vocal-tract warp. The one owner of its `ps_decoder_t` and `cmd_ln_t`, freed in `deinit`. Not `Sendable`: a
/// decoder keeps the state of the utterance being decoded.
final class PocketSphinxDecoder {
  private let config: OpaquePointer
  private let decoder: OpaquePointer

  /// Loads the model with `settings` and the front end warped by `frequencyWarp` (1 = not warped).
  /// - Throws: `ExamError.notFound` when the model is missing, `.state` when pocketsphinx refuses it.
  init(model: AcousticModel, settings: AlignerSettings, frequencyWarp: Double) throws(ExamError) {
    let dictionary = FileManager.default.temporaryDirectory
      .appendingPathComponent("examkit-phones-\(getpid())-\(UUID().uuidString).dict").path
    let entries = PhoneAligner.phones.sorted().map { "ph_\($0.lowercased()) \($0)" } + ["sil_ SIL"]
    do {
      try (entries.joined(separator: "\n") + "\n").write(toFile: dictionary, atomically: true, encoding: .utf8)
    } catch {
      throw ExamError(
        .io, file: dictionary, "cannot write the aligner's phone dictionary",
        fix: "make the temporary folder writable", underlying: "\(error)")
    }
    defer { try? FileManager.default.removeItem(atPath: dictionary) }
    let beam = String(format: "%.0e", settings.beam)
    let arguments = [
      "-hmm", model.hmmDirectory, "-dict", dictionary, "-compallsen", settings.scoreAllSenones ? "yes" : "no",
      "-fsgusefiller", "no", "-bestpath", "no", "-remove_silence", "no", "-beam", beam, "-pbeam", beam,
      "-wbeam", beam, "-topn", String(settings.topGaussians), "-ds", String(settings.frameDownsampling),
    ]
    // Vocal tract length normalisation: the mel filters move piecewise-linearly by the factor (sphinxbase's
    // fe_warp), so a shorter vocal tract's higher formants land where the model's speakers had theirs.
    let warp =
      frequencyWarp == 1
      ? [] : ["-warp_type", "piecewise_linear", "-warp_params", String(format: "%.4f", frequencyWarp)]
    var cStrings = (arguments + warp).map { strdup($0) }
    defer { cStrings.forEach { free($0) } }
    // One at a time: pocketsphinx's log is a FILE* shared by the whole process, and a `-logfn` given to each
    // decoder made every ps_init fclose the FILE* that other decoders were writing to (a rare heap corruption,
    // "free(): invalid pointer", with two tasks starting at once). The log is silenced once instead.
    Self.library.lock()
    if !Self.logSilenced {
      err_set_logfp(nil)
      Self.logSilenced = true
    }
    let config = cmd_ln_parse_r(nil, ps_args(), Int32(cStrings.count), &cStrings, 1)
    let decoder = config.flatMap { ps_init($0) }
    if let config, decoder == nil { cmd_ln_free_r(config) }
    Self.library.unlock()
    guard let config else {
      throw ExamError(
        .state, "pocketsphinx refused the aligner settings \(arguments.joined(separator: " "))",
        fix: "check AlignerSettings (beam > 0, topGaussians ≥ 1, frameDownsampling ≥ 1)")
    }
    guard let decoder else {
      throw ExamError(
        .state, file: model.hmmDirectory, "pocketsphinx cannot load the acoustic model",
        fix: "reinstall pocketsphinx-en-us (Tools/bootstrap)")
    }
    self.config = config
    self.decoder = decoder
  }

  /// Held while decoders are made and freed: pocketsphinx's process-wide state (its log) is touched then.
  private static let library = NSLock()
  /// Whether the log is silenced (read and written under `library` only).
  nonisolated(unsafe) private static var logSilenced = false

  deinit {
    Self.library.lock()
    ps_free(decoder)
    cmd_ln_free_r(config)
    Self.library.unlock()
  }

  /// Aligns 16 kHz mono samples with the prompt's phones (`PhoneAligner.align`).
  /// - Parameters:
  ///   - samples: 16-bit samples at 16 kHz.
  ///   - words: per word, its pronunciations (each a list of phones from `PhoneAligner.phones`).
  /// - Returns: the segments in time order (phones and silences), or nil when the search ends without
  ///   reaching the end of the grammar (the answer does not fit the prompt within the beams).
  func align(_ samples: UnsafeBufferPointer<Int16>, words: [[[String]]]) -> [AlignedSegment]? {
    let name = "align"
    // A new stream for every answer: the front end otherwise carries the previous answer's leftover samples (less
    // than one frame shift) into this one, which moves every frame and makes scores depend on the batch's order.
    guard ps_set_jsgf_string(decoder, name, PhoneAligner.grammar(for: words)) == 0, ps_set_search(decoder, name) == 0,
      ps_start_stream(decoder) == 0, ps_start_utt(decoder) == 0
    else { return nil }
    let processed = ps_process_raw(decoder, samples.baseAddress, samples.count, 0, 1)
    guard processed >= 0, ps_end_utt(decoder) == 0 else { return nil }
    var score: Int32 = 0
    guard ps_get_hyp(decoder, &score) != nil else { return nil }
    var segments: [AlignedSegment] = []
    var iterator = ps_seg_iter(decoder)
    while let segment = iterator {
      if let word = ps_seg_word(segment).map({ String(cString: $0) }), word.hasPrefix("ph_") || word == "sil_" {
        var start: Int32 = 0
        var end: Int32 = 0
        var acoustic: Int32 = 0
        var language: Int32 = 0
        var backoff: Int32 = 0
        ps_seg_frames(segment, &start, &end)
        _ = ps_seg_prob(segment, &acoustic, &language, &backoff)
        let phone = word == "sil_" ? "SIL" : String(word.dropFirst(3)).uppercased()
        segments.append(
          AlignedSegment(
            phone: phone, startFrame: Int(start), frameCount: max(1, Int(end - start) + 1),
            acousticScore: acoustic))
      }
      iterator = ps_seg_next(segment)
    }
    return segments.contains { $0.phone != "SIL" } ? segments : nil
  }

  /// The model's features of 16 kHz samples, computed by this decoder's own front end (its warp, batch CMN,
  /// cepstra with deltas and double deltas) exactly as `align` computed them: the frames `align`'s segments count.
  /// - Returns: `streams × streamLength` values per frame and the frame count, or nil when the front end refuses
  ///   the samples or its layout is not `streams × streamLength`.
  func features(_ samples: UnsafeBufferPointer<Int16>, streams: Int, streamLength: Int) -> (
    values: [Float], frameCount: Int
  )? {
    guard let frontEnd = ps_get_fe(decoder), let featureMaker = ps_get_feat(decoder),
      Int(fe_get_output_size(frontEnd)) == streamLength, Int(featureMaker.pointee.out_dim) == streams * streamLength
    else { return nil }
    var remaining = samples.count
    var capacity: Int32 = 0
    guard fe_process_frames(frontEnd, nil, &remaining, nil, &capacity, nil) >= 0 else { return nil }
    capacity += 2
    var cepstra = [Float](repeating: 0, count: Int(capacity) * streamLength)
    let produced: Int32? = cepstra.withUnsafeMutableBufferPointer { storage in
      var rows = (0..<Int(capacity)).map { Optional(storage.baseAddress! + $0 * streamLength) }
      return rows.withUnsafeMutableBufferPointer { rows -> Int32? in
        var pointer = samples.baseAddress
        var left = samples.count
        var frames = capacity - 1
        guard fe_start_utt(frontEnd) >= 0,
          fe_process_frames(frontEnd, &pointer, &left, rows.baseAddress, &frames, nil) >= 0
        else { return nil }
        var tail: Int32 = 0
        guard fe_end_utt(frontEnd, rows[Int(frames)], &tail) >= 0 else { return nil }
        return frames + tail
      }
    }
    guard let frameCount = produced, frameCount > 0 else { return nil }
    // With the utterance's end the delta window can add frames: room for `window_size` more (feat.h).
    guard let buffer = feat_array_alloc(featureMaker, frameCount + featureMaker.pointee.window_size + 1) else {
      return nil
    }
    defer { feat_array_free(buffer) }
    let made: Int32 = cepstra.withUnsafeMutableBufferPointer { storage in
      var rows = (0..<Int(frameCount)).map { Optional(storage.baseAddress! + $0 * streamLength) }
      var count = frameCount
      return rows.withUnsafeMutableBufferPointer {
        feat_s2mfc2feat_live(featureMaker, $0.baseAddress, &count, 1, 1, buffer)
      }
    }
    guard made > 0 else { return nil }
    var values = [Float](repeating: 0, count: Int(made) * streams * streamLength)
    for frame in 0..<Int(made) {
      guard let streamsOfFrame = buffer[frame] else { return nil }
      for stream in 0..<streams {
        guard let source = streamsOfFrame[stream] else { return nil }
        for d in 0..<streamLength { values[(frame * streams + stream) * streamLength + d] = source[d] }
      }
    }
    return (values, Int(made))
  }

}
