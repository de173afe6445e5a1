fn main() -> std::process::ExitCode {
    rolelint::commands::main()
}
