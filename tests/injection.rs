//! Injection-safe output (docs/security.md, "How output is escaped"): a
//! catalogue whose every free-text field, some ids, a file name and a custom
//! policy's messages carry payloads (terminal escapes, other control and
//! bidi characters, line breaks, GitHub workflow commands, Markdown links,
//! images, HTML, mentions, table pipes and backticks) goes through every
//! output format of every command. Text outputs must keep no payload intact;
//! JSON and SARIF must carry the exact value.

mod common;
mod git_repo;

use std::collections::BTreeSet;
use std::path::Path;

use assert_cmd::Command;
use git_repo::Repo;
use pulldown_cmark::{Event, Options, Parser, Tag};
use serde_json::Value;

const NOW: &str = "2026-11-26";

/// Everything a hostile pull request might put in a catalogue value.
const PAYLOAD: &str = concat!(
    "\u{1b}[31mRED\u{1b}[0m ",
    "\u{1b}]8;;http://x\u{7}link\u{1b}]8;;\u{7} ",
    "\u{9b}31m \u{85}nel \u{8}\u{0}\u{7f} ",
    "\u{202e}evil\u{202c}\u{2066}iso\u{2069} ",
    "a\r\n::error file=x,line=1::forged\n",
    "::add-mask::secret\u{2028}::notice::sep ",
    "%0A::warning::pct ",
    "[x](http://evil) ![](http://evil/p.png) <img src=x> <details> ",
    "@everyone @org/team a|b `code` #123 ",
    "\"]; pwned [label=\"x\\n\" --> end",
);

/// A payload that is a valid id (`^[A-Za-z0-9][A-Za-z0-9._@-]*$`): mentions,
/// emphasis and dots are all the grammar lets through.
const ID_PAYLOAD: &str = "x@everyone_a_.__init__-";

/// The hostile file name: everything but `/` and NUL is allowed on Linux.
const FILE_NAME: &str =
    "evil\u{1b}[2J\r\n::error file=y::forged|<img src=x>[x](y)#1 @everyone.yaml";

/// `text` as a YAML double-quoted scalar: the file stays printable, the
/// value carries every control character.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control()
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') =>
            {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `text` as a Rego string literal (JSON escapes).
fn rego_string(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

fn tagged(tag: &str) -> String {
    format!("{tag}{PAYLOAD}")
}

const CONFIG: &str = "paths: [access]\npolicies: [\"policies/*.rego\"]\n";

/// The catalogue at the base revision: nothing hostile yet.
fn base_files() -> Vec<(String, String)> {
    vec![
        ("rolelint.yaml".into(), CONFIG.into()),
        (
            "access/apps.yaml".into(),
            "apiVersion: rolelint/v1\nkind: Application\nid: app\nowner: alice\npermissions:\n  - id: read\n  - id: admin\n    privileged: true\n".into(),
        ),
        (
            "access/people.yaml".into(),
            "apiVersion: rolelint/v1\nkind: Identity\nid: alice\n".into(),
        ),
        ("policies/empty.rego".into(), "package empty\n".into()),
    ]
}

/// The catalogue with payloads in every field that reaches an output.
fn hostile_files() -> Vec<(String, String)> {
    let q = |tag: &str| quoted(&tagged(tag));
    let apps = format!(
        "apiVersion: rolelint/v1\nkind: Application\nid: app\nname: {}\nowner: alice\npermissions:\n  - id: read\n    description: {}\n  - id: admin\n    privileged: true\n",
        q("APPNAME"),
        q("PERMDESC"),
    );
    let roles = format!(
        "apiVersion: rolelint/v1\nkind: Role\nid: viewer\nname: {}\ndescription: {}\nowner: alice\ndepartment: {}\npermissions: [app:read]\nlabels:\n  {}: {}\nsuppress:\n  - rule: overlap/empty-role\n    reason: {}\n    until: 2027-01-01\n    ticket: {}\n---\napiVersion: rolelint/v1\nkind: Role\nid: admin\nowner: alice\ninherits: [viewer, {ID_PAYLOAD}]\npermissions: [app:admin]\n",
        q("ROLENAME"),
        q("ROLEDESC"),
        q("ROLEDEPT"),
        q("LABELKEY"),
        q("LABELVALUE"),
        q("SUPPRESSREASON"),
        q("SUPPRESSTICKET"),
    );
    let people = format!(
        "apiVersion: rolelint/v1\nkind: Identity\nid: alice\nname: {}\ndepartment: {}\nlabels:\n  note: {}\ngrants:\n  - role: viewer\n    granted: 2026-01-01\n    approved_by: {ID_PAYLOAD}\n    ticket: {}\n  - permission: app:admin\n    granted: 2026-11-01\n    expires: 2026-12-01\n    justification: {}\n---\napiVersion: rolelint/v1\nkind: Identity\nid: {ID_PAYLOAD}\nname: {}\n",
        q("PERSONNAME"),
        q("PERSONDEPT"),
        q("PERSONLABEL"),
        q("TICKET"),
        q("JUSTIFICATION"),
        q("IDNAME"),
    );
    // Each document has one schema problem whose message quotes the value.
    let invalid = format!(
        "apiVersion: rolelint/v1\nkind: Identity\nid: {}\n---\napiVersion: rolelint/v1\nkind: Identity\nid: bad-field\n{}: 1\n---\napiVersion: rolelint/v1\nkind: {}\nid: bad-kind\n---\napiVersion: rolelint/v1\nkind: Role\nid: bad-suppression\nsuppress:\n  - rule: {}\n    reason: r\n    until: 2027-01-01\n---\napiVersion: rolelint/v1\nkind: Role\nid: bad-enum\nowner: alice\nreview:\n  last_reviewed: {}\n",
        q("BADID"),
        q("BADFIELD"),
        q("BADKIND"),
        q("BADRULE"),
        q("BADDATE"),
    );
    let policy = format!(
        "package inject\n\ndeny contains finding if {{\n\tsome identity in input.identities\n\tidentity.id == \"alice\"\n\tfinding := {{\n\t\t\"msg\": sprintf(\"POLICY%s\", [identity.labels.note]),\n\t\t\"kind\": identity.kind,\n\t\t\"id\": identity.id,\n\t\t\"detail\": {},\n\t\t\"help\": {},\n\t}}\n}}\n\nwarn contains {}\n",
        rego_string(&tagged("POLICYDETAIL")),
        rego_string(&tagged("POLICYHELP")),
        rego_string(&tagged("POLICYWARN")),
    );
    let mut files = base_files();
    files.retain(|(path, _)| path != "access/apps.yaml" && path != "access/people.yaml");
    files.extend([
        ("access/apps.yaml".into(), apps),
        ("access/roles.yaml".into(), roles),
        ("access/people.yaml".into(), people),
        ("access/invalid.yaml".into(), invalid),
        (
            format!("access/{FILE_NAME}"),
            format!(
                "apiVersion: rolelint/v1\nkind: Role\nid: in-evil-file\nname: {}\nunknown: 1\n",
                q("FILEDOC")
            ),
        ),
        ("policies/inject.rego".into(), policy),
    ]);
    files
}

fn write(root: &Path, files: &[(String, String)]) {
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// A Git repository whose HEAD is the base catalogue and whose work tree is
/// the hostile one.
fn repository() -> Repo {
    let mut repo = Repo::new();
    write(repo.path(), &base_files());
    repo.commit("base");
    write(repo.path(), &hostile_files());
    repo
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn rolelint(dir: &Path, args: &[&str]) -> Run {
    let output = Command::cargo_bin("rolelint")
        .unwrap()
        .args(args)
        .current_dir(dir)
        .env_remove("ROLELINT_LINK_BASE")
        .env_remove("ROLELINT_POLICY_TIME_LIMIT")
        .env("CI", "true")
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("output is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// Characters that act on a terminal or a reader instead of being shown:
/// C0 and C1 controls (but line feed), DEL, bidi overrides and isolates,
/// and the Unicode line and paragraph separators.
fn is_active(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t'))
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A few lines' worth of `text` around a byte index, for failure messages.
fn excerpt(text: &str, index: usize) -> &str {
    let mut start = index.saturating_sub(120);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (index + 120).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    &text[start..end]
}

/// What every text output must satisfy: nothing active, and no line that a
/// CI runner would take for a workflow command.
fn assert_inert(what: &str, text: &str) {
    assert_no_active_characters(what, text);
    for line in text.lines() {
        let bare =
            line.trim_start_matches(|c: char| c.is_whitespace() || "│├└─┬╭╰·×⚠☞>|-".contains(c));
        assert!(
            !bare.starts_with("::"),
            "{what}: a line reads as a workflow command: {line}"
        );
    }
}

fn assert_no_active_characters(what: &str, text: &str) {
    if let Some((index, c)) = text.char_indices().find(|(_, c)| is_active(*c)) {
        panic!(
            "{what}: active character U+{:04X} at byte {index}:\n{}",
            c as u32,
            excerpt(text, index)
        );
    }
}

fn json(what: &str, text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("{what}: not JSON ({error}): {text}"))
}

/// Every string anywhere in a JSON value.
fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(text) => out.push(text.clone()),
        Value::Array(items) => items.iter().for_each(|item| strings(item, out)),
        Value::Object(fields) => fields.iter().for_each(|(key, item)| {
            out.push(key.clone());
            strings(item, out);
        }),
        _ => {}
    }
}

/// Asserts that the exact payload, after `tag`, is one of the JSON's strings
/// or inside one of them.
fn assert_carries(what: &str, value: &Value, tag: &str) {
    let mut all = Vec::new();
    strings(value, &mut all);
    let wanted = tagged(tag);
    assert!(
        all.iter().any(|text| text.contains(&wanted)),
        "{what}: the exact value after {tag} is missing"
    );
}

/// Inline HTML rolelint writes itself in its Markdown.
fn own_html(html: &str) -> bool {
    let html = html.trim();
    html == "<!-- rolelint -->"
        || html == "<!-- rolelint diff -->"
        || html == "<details>"
        || html == "</details>"
        || html == "</summary>"
        || html == "<summary>"
        || (html.starts_with("<details><summary>") && html.ends_with("</summary>"))
}

/// Markdown for a pull-request comment: parsed as GitHub would (tables
/// included), it has no links but rolelint's own to catalogue files, no
/// images, no HTML but rolelint's own, no mentions, issue references or
/// URLs in text, no code spans but rule codes, and tables whose rows all
/// have the header's number of cells.
fn assert_markdown_safe(what: &str, markdown: &str) {
    assert_inert(what, markdown);
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut html_seen = Vec::new();
    let mut in_html_block = false;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                let (path, line) = dest_url
                    .rsplit_once("#L")
                    .unwrap_or_else(|| panic!("{what}: a link that is not rolelint's: {dest_url}"));
                assert!(
                    line.chars().all(|c| c.is_ascii_digit())
                        && path
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "%/._~-".contains(c)),
                    "{what}: a link that is not rolelint's: {dest_url}"
                );
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                panic!("{what}: an image: {dest_url}")
            }
            Event::Start(Tag::HtmlBlock) => in_html_block = true,
            Event::End(pulldown_cmark::TagEnd::HtmlBlock) => in_html_block = false,
            Event::Html(html) | Event::InlineHtml(html) => {
                html_seen.push(html.to_string());
                assert!(
                    own_html(&html),
                    "{what}: HTML that is not rolelint's: {html:?}"
                );
            }
            Event::Text(text) if !in_html_block => {
                let text = text.as_ref();
                let chars: Vec<char> = text.chars().collect();
                for pair in chars.windows(2) {
                    assert!(
                        !(pair[0] == '@' && pair[1].is_alphanumeric()),
                        "{what}: a mention in {text:?}"
                    );
                    assert!(
                        !(pair[0] == '#' && pair[1].is_ascii_digit()),
                        "{what}: an issue reference in {text:?}"
                    );
                }
                assert!(!text.contains("://"), "{what}: a URL in {text:?}");
            }
            // Rule codes, commit ids and rolelint's own command lines only.
            Event::Code(code) => assert!(
                code.starts_with("rolelint ")
                    || (code.len() >= 7 && code.chars().all(|c| c.is_ascii_hexdigit()))
                    || (code.contains('/')
                        && code
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "/-_.".contains(c))),
                "{what}: a code span that is not rolelint's: {code:?}"
            ),
            _ => {}
        }
    }
    // Table rows: as many unescaped pipes as the header.
    let mut header_pipes = None;
    for line in markdown.lines() {
        if line.starts_with('|') {
            let pipes = line.matches('|').count();
            match header_pipes {
                None => header_pipes = Some(pipes),
                Some(expected) => assert_eq!(pipes, expected, "{what}: a broken table row: {line}"),
            }
        } else {
            header_pipes = None;
        }
    }
    for forbidden in ["](http", "<img", "![", "@everyone", "@org"] {
        assert!(
            !markdown.contains(forbidden),
            "{what}: {forbidden} survives"
        );
    }
}

/// `%XX` decoding of a workflow-command property or message.
fn unescape_command(text: &str) -> String {
    text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// Workflow commands: each line is one of rolelint's, its properties are
/// only rolelint's, and nothing the runner would decode into a second
/// command or property.
fn assert_github_safe(what: &str, output: &str, findings: usize) {
    assert_no_active_characters(what, output);
    let mut commands = 0;
    for line in output.lines() {
        let Some(rest) = line.strip_prefix("::") else {
            assert!(
                line.starts_with("rolelint: "),
                "{what}: a stray line: {line}"
            );
            continue;
        };
        commands += 1;
        let (command, rest) = rest
            .split_once(' ')
            .unwrap_or_else(|| panic!("{what}: {line}"));
        assert!(
            matches!(command, "error" | "warning" | "notice"),
            "{what}: {line}"
        );
        let (properties, message) = rest
            .split_once("::")
            .unwrap_or_else(|| panic!("{what}: no message: {line}"));
        let mut keys = BTreeSet::new();
        for property in properties.split(',') {
            let (key, value) = property
                .split_once('=')
                .unwrap_or_else(|| panic!("{what}: a broken property {property:?} in {line}"));
            assert!(
                matches!(key, "file" | "line" | "col" | "title"),
                "{what}: property {key} in {line}"
            );
            assert!(keys.insert(key), "{what}: {key} twice in {line}");
            assert!(!value.contains(':'), "{what}: {line}");
            // Decoded, a value may hold the line breaks it was given as
            // `%0D%0A` (a file name can), but nothing else active.
            assert!(
                !unescape_command(value)
                    .chars()
                    .any(|c| is_active(c) && c != '\r'),
                "{what}: {line}"
            );
        }
        // Inside the annotation, decoded: still nothing active.
        let decoded = unescape_command(message);
        assert!(
            !decoded.chars().any(|c| is_active(c) && c != '\r'),
            "{what}: {decoded:?}"
        );
    }
    assert_eq!(commands, findings, "{what}: one command per finding");
}

/// DOT: every string is closed on its line, and Graphviz (when installed)
/// reads the file as one graph.
fn assert_dot_safe(what: &str, dot: &str) {
    assert_inert(what, dot);
    for line in dot.lines() {
        let mut quotes = 0;
        let mut escaped = false;
        for c in line.chars() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => quotes += 1,
                _ => escaped = false,
            }
            if c != '\\' {
                escaped = false;
            }
        }
        assert_eq!(quotes % 2, 0, "{what}: an unclosed string: {line}");
    }
    if std::process::Command::new("dot").arg("-V").output().is_ok() {
        let output = common::run_graphviz("dot", "canon", dot);
        assert!(
            output.status.success(),
            "{what}: Graphviz cannot read it: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let canonical = String::from_utf8_lossy(&output.stdout);
        assert!(
            !canonical
                .lines()
                .any(|line| line.trim_start().starts_with("pwned")),
            "{what}: the payload added a node: {canonical}"
        );
    }
}

/// Mermaid: labels are quoted with nothing inside that ends them, no HTML
/// but rolelint's `<br/>`, no backticks (Markdown strings).
fn assert_mermaid_safe(what: &str, mermaid: &str) {
    assert_inert(what, mermaid);
    for line in mermaid.lines() {
        assert_eq!(line.matches('"').count() % 2, 0, "{what}: {line}");
        let mut inside = false;
        for part in line.split('"') {
            if inside {
                let without_breaks = part.replace("<br/>", "");
                assert!(
                    !without_breaks.contains(['<', '>', '`', '[', ']', '(', ')', '{', '}', '|']),
                    "{what}: a label that can escape: {part}"
                );
            }
            inside = !inside;
        }
        assert!(!line.contains("pwned"), "{what}: {line}");
    }
}

#[test]
fn no_payload_survives_any_format_of_check() {
    let repo = repository();
    let dir = repo.path();
    let check = |format: &str| {
        let run = rolelint(dir, &["check", "--now", NOW, "--format", format]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        assert_inert(&format!("check --format {format} (stderr)"), &run.stderr);
        run.stdout
    };

    let report = json("check json", &check("json"));
    let findings = report["findings"].as_array().unwrap();
    // The exact values reach the JSON: policy text, quoted values in schema
    // messages, and the file name.
    for tag in ["POLICYDETAIL", "POLICYHELP", "POLICYWARN", "BADFIELD"] {
        assert_carries("check json", &report, tag);
    }
    let policy = findings
        .iter()
        .find(|finding| finding["rule"] == "policy/inject" && finding["severity"] == "error")
        .expect("the policy's deny finding");
    assert_eq!(
        policy["message"],
        format!("POLICY{}", tagged("PERSONLABEL"))
    );
    assert!(
        findings
            .iter()
            .any(|finding| finding["path"] == format!("access/{FILE_NAME}")),
        "the hostile file name reaches the JSON exactly"
    );
    assert!(
        findings
            .iter()
            .any(|finding| finding["message"].as_str().unwrap().contains(ID_PAYLOAD)),
        "the unknown role id is quoted"
    );
    let count = findings.len();
    assert!(count >= 8, "{count} findings");

    let sarif = json("check sarif", &check("sarif"));
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), count);
    assert_carries("check sarif", &sarif, "POLICYDETAIL");
    // SARIF messages escape `[`, `]` and `\` (embedded links, SARIF 3.11.6).
    let unescaped = |text: &str| {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            out.push(if c == '\\' { chars.next().unwrap() } else { c });
        }
        out
    };
    assert!(results.iter().any(|result| {
        unescaped(result["message"]["text"].as_str().unwrap())
            .starts_with(&format!("POLICY{}", tagged("PERSONLABEL")))
    }));

    let human = check("human");
    assert_inert("check human", &human);
    for tag in ["POLICYDETAIL", "BADFIELD", "POLICYWARN"] {
        assert!(human.contains(tag), "check human lost the finding of {tag}");
    }

    let github = check("github");
    assert_github_safe("check github", &github, count.min(50));

    let markdown = check("markdown");
    assert_markdown_safe("check markdown", &markdown);
    assert!(markdown.contains("POLICYWARN"));
}

#[test]
fn no_payload_survives_diff() {
    let repo = repository();
    let dir = repo.path();
    let diff = |format: &str| {
        let run = rolelint(dir, &["diff", "HEAD", "--now", NOW, "--format", format]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        assert_inert(&format!("diff --format {format} (stderr)"), &run.stderr);
        run.stdout
    };
    let report = json("diff json", &diff("json"));
    for tag in ["POLICYDETAIL", "BADFIELD"] {
        assert_carries("diff json", &report, tag);
    }
    let human = diff("human");
    assert_inert("diff human", &human);
    assert!(human.contains("POLICYWARN"));
    let markdown = diff("markdown");
    assert_markdown_safe("diff markdown", &markdown);
    assert!(markdown.contains("POLICYWARN"));
}

#[test]
fn no_payload_survives_explain_and_who_can() {
    let repo = repository();
    let dir = repo.path();
    for args in [
        &["explain", "alice", "--now", NOW][..],
        &["explain", "alice", "app:admin", "--now", NOW],
        &["explain", "--role", "admin", "--now", NOW],
        &["explain", ID_PAYLOAD, "--now", NOW],
        &["who-can", "app:read", "--now", NOW],
        &["who-can", "app:*", "--now", NOW],
    ] {
        let what = args.join(" ");
        let run = rolelint(dir, args);
        assert_eq!(run.code, 0, "{what}: {}", run.stderr);
        assert_inert(&what, &run.stdout);
        assert_inert(&what, &run.stderr);
        let mut json_args = args.to_vec();
        json_args.extend(["--format", "json"]);
        let value = json(&what, &rolelint(dir, &json_args).stdout);
        if args[..2] == ["explain", "alice"] && args.len() == 4 {
            for tag in ["PERSONNAME", "TICKET"] {
                assert!(run.stdout.contains(tag), "{what}: {tag} not shown");
                assert_carries(&what, &value, tag);
            }
        }
    }
    let run = rolelint(dir, &["explain", "alice", "--now", NOW]);
    assert!(run.stdout.contains("JUSTIFICATION"), "{}", run.stdout);
}

#[test]
fn no_payload_survives_graph_and_stats() {
    let repo = repository();
    let dir = repo.path();
    let run = |args: &[&str]| {
        let run = rolelint(dir, args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert_inert(&format!("{args:?} (stderr)"), &run.stderr);
        run.stdout
    };
    let dot = run(&["graph", "--now", NOW, "--format", "dot"]);
    assert_dot_safe("graph dot", &dot);
    assert!(dot.contains("ROLENAME") && dot.contains("APPNAME"), "{dot}");
    let focused = run(&["graph", "--now", NOW, "--focus", "alice", "--format", "dot"]);
    assert_dot_safe("graph dot --focus alice", &focused);
    assert!(focused.contains("PERSONNAME"), "{focused}");
    let mermaid = run(&["graph", "--now", NOW, "--format", "mermaid"]);
    assert_mermaid_safe("graph mermaid", &mermaid);
    let focused = run(&[
        "graph", "--now", NOW, "--focus", ID_PAYLOAD, "--format", "mermaid",
    ]);
    assert_mermaid_safe("graph mermaid --focus", &focused);

    let human = run(&["stats", "--now", NOW]);
    assert_inert("stats human", &human);
    assert!(
        human.contains("ROLEDEPT") || human.contains("PERSONDEPT"),
        "{human}"
    );
    let markdown = run(&["stats", "--now", NOW, "--format", "markdown"]);
    assert_markdown_safe("stats markdown", &markdown);
    let value = json(
        "stats json",
        &run(&["stats", "--now", NOW, "--format", "json"]),
    );
    assert_carries("stats json", &value, "PERSONDEPT");
}

#[test]
fn errors_on_stderr_are_inert() {
    // An invalid configuration quotes the offending key and line; a broken
    // policy quotes its source line.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[(
            "rolelint.yaml".into(),
            format!("paths: [access]\n{}: 1\n", quoted(&tagged("CONFIGKEY"))),
        )],
    );
    std::fs::create_dir_all(dir.path().join("access")).unwrap();
    let run = rolelint(dir.path(), &["check", "--now", NOW]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("CONFIGKEY"), "{}", run.stderr);
    assert_inert("invalid configuration (stderr)", &run.stderr);

    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("rolelint.yaml".into(), CONFIG.into()),
            (
                "access/a.yaml".into(),
                "apiVersion: rolelint/v1\nkind: Identity\nid: a\n".into(),
            ),
            (
                "policies/broken.rego".into(),
                format!(
                    "package broken\n\ndeny contains x if {{\n\tx := `{}` +\n}}\n",
                    tagged("REGO").replace('`', "'")
                ),
            ),
        ],
    );
    let run = rolelint(dir.path(), &["check", "--now", NOW]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_inert("broken policy (stderr)", &run.stderr);
}
