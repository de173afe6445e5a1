//! Line breaks as YAML counts them: LF, CR LF, and a CR alone (YAML 1.2's
//! `b-break`). The parser numbers lines this way, so whatever finds lines
//! in a catalogue file (splitting it into documents, the human output's
//! snippets, SARIF's region ends) does too; splitting at LF alone reads a
//! file with classic Mac OS line endings as one line.

/// The lines of `text`, each with its line break (the last one may have
/// none), like [`str::split_inclusive`] at every kind of line break.
pub fn split_inclusive(text: &str) -> SplitInclusive<'_> {
    SplitInclusive { rest: text }
}

pub struct SplitInclusive<'a> {
    rest: &'a str,
}

impl<'a> Iterator for SplitInclusive<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        let bytes = self.rest.as_bytes();
        let end = match memchr::memchr2(b'\n', b'\r', bytes) {
            None => bytes.len(),
            Some(at) if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') => at + 2,
            Some(at) => at + 1,
        };
        // At a byte after an ASCII character: a character boundary.
        let (line, rest) = self.rest.split_at(end);
        self.rest = rest;
        Some(line)
    }
}

/// A line of [`split_inclusive`] without its line break.
pub fn body(line: &str) -> &str {
    // Exact: a line holds no CR or LF but its break.
    line.trim_end_matches(['\n', '\r'])
}

/// The start of the line that holds byte `offset` of `text` (its line
/// break included; the last line for an offset past the end).
pub fn line_start(text: &str, offset: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = offset.min(bytes.len());
    // The LF of a CR LF belongs to the line the CR ends.
    if end > 0 && bytes.get(end) == Some(&b'\n') && bytes[end - 1] == b'\r' {
        end -= 1;
    }
    memchr::memrchr2(b'\n', b'\r', &bytes[..end]).map_or(0, |at| at + 1)
}

/// The start of the line before the one that starts at `start`; 0 for the
/// first line.
pub fn previous_line_start(text: &str, start: usize) -> usize {
    match start.checked_sub(1) {
        // The previous line's break: on that line.
        Some(line_break) => line_start(text, line_break),
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_line_break_ends_a_line() {
        let text = "a\r\nb\rc\n\r\rd";
        let lines: Vec<&str> = split_inclusive(text).collect();
        assert_eq!(lines, ["a\r\n", "b\r", "c\n", "\r", "\r", "d"]);
        assert_eq!(
            lines.iter().map(|line| body(line)).collect::<Vec<_>>(),
            ["a", "b", "c", "", "", "d"]
        );
        assert_eq!(split_inclusive("").count(), 0);
        assert_eq!(split_inclusive("x\n").collect::<Vec<_>>(), ["x\n"]);
    }

    #[test]
    fn line_starts_step_back_over_whole_line_breaks() {
        let text = "ab\r\ncd\ref\ngh";
        let starts = [0, 4, 7, 10];
        for (line, &start) in starts.iter().enumerate() {
            let end = starts.get(line + 1).copied().unwrap_or(text.len());
            for offset in start..end {
                assert_eq!(line_start(text, offset), start, "offset {offset}");
            }
            let previous = starts[line.saturating_sub(1)];
            assert_eq!(previous_line_start(text, start), previous, "line {line}");
        }
        assert_eq!(line_start(text, 100), 10);
    }

    #[test]
    fn lines_are_counted_as_the_parser_counts_them() {
        // The parser's line of a node on each line of a file written with
        // each kind of line break, and mixes of them.
        for breaks in [["\n"; 3], ["\r\n"; 3], ["\r"; 3], ["\r", "\r\n", "\n"]] {
            let text = format!("a: 1{}b: 2{}c: 3{}d: 4", breaks[0], breaks[1], breaks[2]);
            let node = crate::load::yaml::parse_document(&text, &Default::default()).unwrap();
            let crate::load::yaml::Value::Map(entries) = node.value else {
                panic!("{text:?} is not a mapping");
            };
            let lines: Vec<&str> = split_inclusive(&text).collect();
            for (key, _) in &entries {
                let line = key.location.line as usize;
                let start = key.location.offset as usize;
                assert_eq!(line_start(&text, start), start, "{text:?}");
                assert!(
                    lines[line - 1].starts_with(&text[start..start + 1]),
                    "{text:?}"
                );
            }
            assert_eq!(entries.len(), lines.len());
        }
    }
}
