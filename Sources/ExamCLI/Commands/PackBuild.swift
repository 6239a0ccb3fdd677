import ArgumentParser
import ExamCore
import Packs
import Signing

extension ExamCommand {
  struct PackBuild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "build",
      abstract: "Build a signed, reproducible .exampack from a pack folder.",
      discussion: """
        The folder is validated first (every problem listed, nothing written). The pack is a zip holding \
        manifest.json (each file's path, size and SHA-256; the signer's public key and fingerprint), manifest.sig \
        (Ed25519 signature of manifest.json) and every non-hidden file of the folder. Entries have a fixed date \
        (1980-01-01), mode 0644 and sorted order, so the same folder and keys give the same bytes. The file is \
        written to a temporary name, flushed and renamed: a crash leaves the old pack or the new one.

        --encrypt seals every file with AES-256-GCM under a new content key written to FILE.key (beside the \
        pack, mode 0600; keep it apart until the exam starts). Nonces derive from each file's path and hash, so \
        rebuilding with --reuse-key FILE.key gives the same bytes again.

        pack.yaml, in short (full reference: docs/pack-format.md):
          format: examkit-pack/1
          exam: id, title, total_points, [part_points: {listening, speaking}],
            [forms: [{id, item_order: {SECTION: [ITEM, ...]}}]]
          sections: list of
            id, title, part (listening|speaking), points, time_limit_seconds,
            [instructions], [passages: [{id, audio, [plays], [text]}]], items
          items: list of
            id, type, points, [prompt_text], [prompt_audio, [plays]],
            [prompt_seconds], [passage], [picture], [preparation_seconds],
            max_answer_seconds, and by type:
            choice:           question, options {A: ..., B: ...}, answer
            read-sentence,
            read-passage:     reference_text, reference_audio
            picture-talk:     picture (PNG, JPEG or SVG)
            every spoken type (all but choice): min_answer_seconds and
              rubric: {criteria: [{name, points, [description]}], tolerance,
                       [resolution: mean-of-closest|arbiter-decides]}
            spoken types: read-sentence read-passage situational picture-talk
                          quick-response summary

        Points must add up (criteria = item, items = section, sections = part_points and total_points); each \
        section's passages, prompts, preparation and answer windows must fit its time_limit_seconds.

        Example:
          exam pack build ExamPacks/SH-2026-EL -o SH-2026-EL.exampack \\
            --sign office.key
          exam pack build ExamPacks/SH-2026-EL -o secret.exampack \\
            --sign office.key --encrypt
        """)

    @Argument(help: "The pack folder (holding pack.yaml).") var directory: String
    @Option(name: .shortAndLong, help: "The pack file to write (FILE.exampack).") var output: String
    @Option(help: "Private signing key (NAME.key from `exam keys generate`).") var sign: String?
    @Flag(help: "Encrypt the contents under a new content key written to FILE.key.") var encrypt = false
    @Option(help: "Encrypt under this existing content key instead of a new one (implies --encrypt).")
    var reuseKey: String?
    @Flag(help: "Print the result as JSON.") var json = false

    func validate() throws {
      if !output.hasSuffix(".exampack") { throw ValidationError("'-o' must name a .exampack file (got '\(output)').") }
    }

    func run() async throws {
      let signingKey = try sign.map { (p) throws(ExamError) in try SigningKey(contentsOf: p) }
      let choice: PackBuilder.KeyChoice = reuseKey.map { .reuse($0) } ?? (encrypt ? .new : .none)
      let (contentKey, wroteKey) = try PackBuilder.contentKey(choice, directory: directory, output: output)
      let result = try PackBuilder.build(
        directory: directory, output: output, signingKey: signingKey, contentKey: contentKey)
      if json {
        print(JSONOutput.string(result))
      } else {
        print(
          "built \(output): exam \(result.examId), \(result.fileCount) files, \(result.size) bytes, sha256 \(result.sha256)"
        )
        print(result.signer.map { "signed by key \($0)" } ?? "not signed (pass --sign KEY to sign)")
        if let wroteKey { print("content key written to \(wroteKey) (mode 0600): keep it apart from the pack") }
      }
    }
  }
}
