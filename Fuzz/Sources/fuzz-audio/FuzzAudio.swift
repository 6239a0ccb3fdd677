import AudioIO
import FuzzSupport

/// A recorded answer in any container: header, decode to mono 16 kHz, truncation check.
@_cdecl("fuzz_audio_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  FuzzEntry.run(argc, argv) { data, count in
    fuzzAudio(data.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(bitPattern: 1)!, count)
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAudio(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let path = FuzzInput.file(start, count, suffix: ".audio")
  if let audio = try? decodeMono(path: path, targetSampleRate: 16_000, maxSeconds: 60) {
    precondition(audio.samples.count <= 60 * 16_000 + 65_536, "decoded past the limit")
    precondition(audio.samples.allSatisfy { $0.isFinite }, "a decoded sample is not finite")
  }
  return 0
}
