//! The benchmark's parse-only baseline: reads every `.yaml`/`.yml` file under
//! a directory and runs saphyr-parser's event parser over it, on one thread,
//! doing nothing else with the events. `rolelint check` on the same files is
//! compared with this: the cost of merely reading the YAML.
//!
//! ```text
//! cargo run --release --example parse_only -- DIR
//! ```
//!
//! Prints one line to stdout: files, bytes, events, parse errors, seconds.

use std::path::{Path, PathBuf};
use std::time::Instant;

use saphyr_parser::Parser;

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            yaml_files(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|extension| extension == "yaml" || extension == "yml")
        {
            out.push(path);
        }
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: parse_only DIR");
        std::process::exit(2);
    };
    let started = Instant::now();
    let mut files = Vec::new();
    yaml_files(&dir, &mut files)?;
    files.sort();
    let (mut bytes, mut events, mut errors) = (0usize, 0usize, 0usize);
    for path in &files {
        let text = std::fs::read_to_string(path)?;
        bytes += text.len();
        for event in Parser::new_from_str(&text) {
            match event {
                Ok(_) => events += 1,
                Err(_) => {
                    errors += 1;
                    break;
                }
            }
        }
    }
    println!(
        "files {} bytes {bytes} events {events} errors {errors} seconds {:.3}",
        files.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
