// mimalloc instead of glibc's malloc: loading a large catalogue makes
// millions of small allocations from several threads, where glibc spends a
// tenth of the run growing and trimming its heaps (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    rolelint::commands::main()
}
