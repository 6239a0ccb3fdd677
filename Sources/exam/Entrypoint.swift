import ExamCLI

@main
struct Entrypoint {
  static func main() async {
    await ExamCommand.runAsMain()
  }
}
