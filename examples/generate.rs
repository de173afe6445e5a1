//! Deterministic generator of large, realistic rolelint catalogues, for
//! benchmarks and scale tests.
//!
//! ```text
//! cargo run --release --example generate -- --identities 100000 --roles 10000 \
//!     --out /tmp/cat-m [--seed 42] [--apps N] [--now 2026-11-26] [--threads N] [--force]
//! ```
//!
//! The same arguments always produce byte-identical output (the number of
//! threads does not matter: every identity draws from its own random stream
//! derived from `--seed` and its index). `--force` replaces an existing
//! `OUT/access` directory; without it the generator refuses to write into a
//! non-empty one.
//!
//! # Layout
//!
//! ```text
//! OUT/rolelint.yaml                       paths: [access]
//! OUT/access/applications/<app>.yaml      one Application each (20-200 permissions)
//! OUT/access/roles/<department>.yaml      the department's Roles, multi-document
//! OUT/access/roles/shared.yaml            cross-department roles (employee-baseline, ...)
//! OUT/access/identities/<dept>/<id>.yaml  one human Identity per file
//! OUT/access/identities/services/<dept>/<dept>-NNNN.yaml
//!                                         service and agent Identities, ~100 per file
//! OUT/access/teams.yaml                   one Team per department (+ two problem teams)
//! OUT/access/playbooks.yaml               joiner/mover/leaver/request Playbooks per department
//! OUT/access/sod.yaml                     SodRules (maker/checker pairs)
//! ```
//!
//! Identities are ~70% human, ~25% service, ~5% agent; about 2% are
//! terminated (with `terminated_on`) and 1% suspended. Departments scale with
//! the role count (6 to 24). Roles come in families that form inheritance
//! chains of depth 3-5 (viewer → editor → operator → admin → owner; the upper
//! levels carry privileged permissions, are declared `privileged`, require MFA
//! and often have `max_grant_days` and a `review`), plus standalone roles and
//! "bundle" roles that inherit roles of several families; a role only inherits
//! roles defined before it, and each level adds at least 30% to what it
//! inherits so that levels are not near-duplicates of each other.
//! Applications default to `max(6, roles / 50)`. Dates are relative to
//! `--now` (default 2026-11-26), computed with the civil-date functions below.
//!
//! Every human gets the birthright roles of the department's joiner playbook
//! (`via:`), the roles of one of a few job profiles of the department (so that
//! routine access is shared by at least ~20% of the peers), and now and then a
//! temporary privileged grant, a direct permission grant with justification
//! and expiry, a long-tail role, or the revoked role of a previous department.
//! Non-human identities get 1-2 credentials, an owner, and 2-5 grants.
//!
//! # Deliberate defects
//!
//! Every document is schema-valid, but a small rate (the `P_*` constants:
//! mostly 0.5-2% of the objects, references or grants where the defect can
//! occur) of every defect that RULES.md describes is planted: unknown
//! references (typos of roles, permissions, applications, principals,
//! playbooks and playbook steps), duplicate ids (roles, humans, services),
//! inheritance cycles of two roles (a viewer that also inherits its editor),
//! a playbook step cycle, missing owners, owners that are terminated,
//! suspended, non-human or an unaccountable team, undeclared privileged roles,
//! privileged roles without MFA, wildcard permissions, standing privileged
//! access, privileged non-human grants, department mismatches, direct grants
//! without justification or expiry, duplicate / near-duplicate (one permission
//! changed) / empty roles, redundant grants, toxic roles and SoD identity
//! conflicts, expired unrevoked grants, missing expiry, excessive duration,
//! terminated identities with access, stale credentials, overdue reviews,
//! missing approval, self-approval, every `workflow/*` defect (one playbook
//! each), and expired / unused suppressions. Rare access (long-tail roles,
//! temporary elevation, direct grants, department mismatches: the `P_LONG_TAIL`,
//! `P_ELEVATION`, `P_DIRECT_GRANT` and `P_DEPT_MISMATCH` rates, about 3% of
//! the humans in all) also makes `privilege/peer-outlier` (info) findings,
//! one per permission it brings: about 0.2 per identity.
//!
//! At the end one line is printed to stderr: files, documents and bytes
//! written.

use std::fmt::{self, Write as _};
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use fastrand::Rng;

const USAGE: &str = "\
usage: generate --identities N --roles N --out DIR [options]

  --identities N     number of identities (70% human, 25% service, 5% agent), >= 10
  --roles N          number of roles, >= 10
  --out DIR          output directory: DIR/rolelint.yaml and the catalogue in DIR/access
  --seed N           random seed (default 42)
  --apps N           number of applications (default max(6, roles / 50))
  --now YYYY-MM-DD   date the catalogue is generated for (default 2026-11-26)
  --threads N        writer threads (default: available parallelism, at most 8);
                     the output does not depend on it
  --force            replace an existing DIR/access
  -h, --help         show this help
";

// ---------------------------------------------------------------------------
// Defect rates (probability per object, reference or grant where it can occur)
// ---------------------------------------------------------------------------

const P_TYPO_REF: f64 = 0.006; // a role / permission / inherits reference with a typo
const P_OWNER_MISSING: f64 = 0.015;
const P_OWNER_INACTIVE: f64 = 0.008; // terminated or suspended human
const P_OWNER_LEGACY_TEAM: f64 = 0.003; // team with no active human member
const P_OWNER_NON_HUMAN: f64 = 0.005;
const P_OWNER_TYPO: f64 = 0.004;
const P_UNDECLARED_PRIV: f64 = 0.03;
const P_PRIV_NO_MFA: f64 = 0.015;
const P_WILDCARD: f64 = 0.10; // of top-of-family roles (at most one per application)
const P_NEAR_DUP: f64 = 0.015;
const P_EXACT_DUP: f64 = 0.003;
const P_DUP_ROLE_ID: f64 = 0.002;
const P_EMPTY_ROLE: f64 = 0.04; // of standalone roles
const P_TOXIC_ROLE: f64 = 0.03; // of standalone / top-of-family roles
const P_CYCLE: f64 = 0.006; // of role families (the second family is always one)
const P_REVIEW_OVERDUE: f64 = 0.015;
const P_PRIV_NEVER_REVIEWED: f64 = 0.008;
const P_UNUSED_SUPPRESSION: f64 = 0.003;
const P_GRANT_NO_APPROVAL: f64 = 0.012;
const P_GRANT_SELF_APPROVAL: f64 = 0.006;
const P_GRANT_EXPIRED_UNREVOKED: f64 = 0.01;
const P_GRANT_EXCESSIVE: f64 = 0.006;
const P_GRANT_MISSING_EXPIRY: f64 = 0.1; // of grants of roles with max_grant_days
const P_STANDING_PRIV: f64 = 0.015; // of privileged grants to humans
const P_DIRECT_NO_JUSTIFICATION: f64 = 0.08; // of direct grants
const P_DEPT_MISMATCH: f64 = 0.01; // of humans
// Access few peers share, each a privilege/peer-outlier (info) per
// permission it brings: kept rare so that infos stay a small share.
const P_LONG_TAIL: f64 = 0.006; // of humans: a long-tail role of the department
const P_ELEVATION: f64 = 0.015; // of humans: a temporary privileged role
const P_DIRECT_GRANT: f64 = 0.01; // of humans: a direct permission grant
const P_REDUNDANT: f64 = 0.01; // of identities
const P_SOD_CONFLICT: f64 = 0.01; // of identities
const P_TERMINATED_KEEPS_ACCESS: f64 = 0.25; // of terminated identities
const P_NON_HUMAN_PRIV: f64 = 0.02; // of non-human identities
const P_STALE_CREDENTIAL: f64 = 0.02;
const P_DUP_IDENTITY: f64 = 0.001;
const P_MANAGER_TYPO: f64 = 0.003;
const P_VIA_TYPO: f64 = 0.003;

// ---------------------------------------------------------------------------
// Static vocabulary
// ---------------------------------------------------------------------------

/// Departments, in order of use (the first `n` are used), with a headcount weight.
#[rustfmt::skip]
const DEPTS: [(&str, u32); 24] = [
    ("engineering", 8), ("finance", 3), ("sales", 6), ("support", 5), ("security", 2), ("it", 2),
    ("hr", 2), ("legal", 1), ("marketing", 3), ("data", 3), ("product", 2), ("operations", 4),
    ("procurement", 1), ("design", 2), ("research", 2), ("compliance", 1), ("risk", 1),
    ("facilities", 1), ("partnerships", 1), ("communications", 1), ("analytics", 2),
    ("infrastructure", 3), ("treasury", 1), ("success", 3),
];

/// Tools everybody uses, owned by IT.
#[rustfmt::skip]
const COMMON_APPS: [&str; 8] = [
    "okta", "slack", "gworkspace", "jira", "confluence", "zoom", "1password", "notion",
];

/// Applications per owning department.
#[rustfmt::skip]
const DEPT_APPS: [(&str, &[&str]); 24] = [
    ("engineering", &[
        "github", "aws-prod", "kubernetes-prod", "argocd", "circleci", "sentry", "datadog",
        "pagerduty", "launchdarkly", "artifactory", "terraform-cloud", "vault", "grafana",
        "gcp-staging",
    ]),
    ("finance", &[
        "netsuite", "stripe", "brex", "expensify", "coupa", "bill-com", "adyen", "ledger-core",
        "billing-api", "quickbooks",
    ]),
    ("sales", &["salesforce", "hubspot", "gong", "docusign", "outreach", "clari", "zoominfo"]),
    ("support", &["zendesk", "intercom", "freshdesk", "statuspage", "gainsight"]),
    ("security", &["crowdstrike", "splunk", "wiz", "snyk", "vanta", "cloudflare", "tailscale"]),
    ("it", &["jamf", "kandji", "servicenow", "zscaler"]),
    ("hr", &["workday", "greenhouse", "lattice", "gusto", "adp"]),
    ("legal", &["ironclad", "carta", "relativity"]),
    ("marketing", &["marketo", "braze", "segment", "contentful", "webflow"]),
    ("data", &["snowflake", "dbt-cloud", "airflow", "fivetran", "looker", "tableau", "databricks"]),
    ("product", &["mixpanel", "amplitude", "figma", "productboard", "linear"]),
    ("operations", &["wms-core", "fleet-tracker", "shipbob"]),
    ("procurement", &["zip", "ariba"]),
    ("design", &["miro", "abstract"]),
    ("research", &["benchling", "labguru"]),
    ("compliance", &["drata", "onetrust"]),
    ("risk", &["risk-engine", "sardine"]),
    ("facilities", &["envoy", "robin"]),
    ("partnerships", &["crossbeam", "partnerstack"]),
    ("communications", &["meltwater", "prezly"]),
    ("analytics", &["metabase", "hex"]),
    ("infrastructure", &["nomad", "consul", "cloudflare-dns"]),
    ("treasury", &["kyriba", "modern-treasury"]),
    ("success", &["vitally", "totango"]),
];

#[rustfmt::skip]
const APP_SUFFIXES: [&str; 8] = [
    "eu", "us", "apac", "staging", "sandbox", "dr", "legacy", "internal",
];

#[rustfmt::skip]
const RESOURCES: [&str; 50] = [
    "users", "groups", "repos", "deployments", "secrets", "invoices", "refunds", "payouts",
    "customers", "orders", "tickets", "reports", "dashboards", "buckets", "clusters", "databases",
    "pipelines", "jobs", "contracts", "employees", "payroll", "campaigns", "leads",
    "opportunities", "accounts", "vendors", "budgets", "expenses", "audit-logs", "keys",
    "certificates", "domains", "webhooks", "projects", "issues", "documents", "models", "datasets",
    "alerts", "incidents", "schedules", "policies", "settings", "subscriptions", "devices",
    "tokens", "journals", "payments", "transfers", "quotes",
];

/// Extra resources typical of a department's applications (space separated).
#[rustfmt::skip]
const RESOURCE_THEMES: [(&str, &str); 12] = [
    ("engineering", "repos deployments secrets clusters pipelines builds environments alerts"),
    ("finance", "invoices refunds payouts customers vendors budgets expenses journals payments"),
    ("sales", "leads opportunities accounts contacts quotes contracts forecasts territories"),
    ("support", "tickets customers macros articles escalations chats incidents"),
    ("security", "alerts incidents findings detections policies devices keys certificates"),
    ("it", "devices users groups licenses policies tokens"),
    ("hr", "employees payroll candidates offers reviews benefits documents"),
    ("legal", "contracts matters documents entities"),
    ("marketing", "campaigns audiences segments assets emails"),
    ("data", "datasets models pipelines jobs dashboards warehouses queries"),
    ("product", "projects issues experiments dashboards roadmaps designs"),
    ("operations", "orders shipments warehouses inventory vendors"),
];

/// Verb, inclusion weight per mille, permission class.
#[rustfmt::skip]
const VERBS: [(&str, u32, Class); 10] = [
    ("read", 900, Class::Ro), ("list", 700, Class::Ro), ("export", 300, Class::Ro),
    ("create", 550, Class::Rw), ("write", 600, Class::Rw), ("import", 150, Class::Rw),
    ("delete", 300, Class::Rw), ("approve", 300, Class::Rw), ("admin", 220, Class::Pv),
    ("impersonate", 40, Class::Pv),
];

#[rustfmt::skip]
const FAMILY_NOUNS: [&str; 48] = [
    "payments", "ledger", "billing", "payroll", "reporting", "deploy", "oncall", "release",
    "observability", "incident", "access", "endpoint", "network", "storage", "database",
    "pipeline", "warehouse", "analytics", "crm", "pipelinemgmt", "renewals", "quotes", "contracts",
    "hiring", "benefits", "performance", "helpdesk", "escalations", "knowledge", "campaigns",
    "content", "experiments", "roadmap", "design", "research", "vendors", "purchasing", "audit",
    "controls", "fraud", "treasury", "facilities", "partners", "press", "metrics", "platform",
    "runtime", "secrets",
];

#[rustfmt::skip]
const BUNDLE_WORDS: [&str; 12] = [
    "analyst", "lead", "oncall", "specialist", "manager", "partner", "auditor", "contractor",
    "intern", "core", "senior", "newhire",
];

#[rustfmt::skip]
const SHARED_NOUNS: [&str; 10] = [
    "wiki", "chat", "calendar", "video", "tickets", "docs", "passwords", "email", "printing",
    "sso",
];

#[rustfmt::skip]
const SERVICE_PURPOSES: [&str; 15] = [
    "export", "sync", "etl", "backup", "deploy", "webhook", "reconcile", "monitor", "ingest",
    "scheduler", "migration", "billing", "notifier", "indexer", "reporting",
];

#[rustfmt::skip]
const AGENT_PURPOSES: [&str; 10] = [
    "triage", "copilot", "summarizer", "reviewer", "classifier", "assistant", "researcher",
    "auditor", "router", "drafter",
];

#[rustfmt::skip]
const FIRST_NAMES: [&str; 100] = [
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "karl",
    "laura", "mallory", "nina", "oscar", "peggy", "quinn", "rupert", "sybil", "trent", "ursula",
    "victor", "wendy", "xavier", "yvonne", "zack", "aaron", "bianca", "carlos", "diana", "ethan",
    "fatima", "george", "hana", "isaac", "julia", "kevin", "leila", "marco", "nora", "omar",
    "priya", "rafael", "sara", "tomas", "uma", "vikram", "wei", "yusuf", "zara", "adam", "beatriz",
    "chen", "daniela", "emil", "farah", "gabriel", "hugo", "ines", "jonas", "kenji", "lucia",
    "mateo", "naomi", "olga", "pablo", "rosa", "samir", "tanya", "ulrich", "valentina", "william",
    "ximena", "yara", "zoltan", "amir", "bruno", "chloe", "dmitri", "elena", "felix", "gita",
    "hassan", "irene", "jamal", "kiara", "liam", "mei", "nadia", "oliver", "paula", "ravi",
    "sofia", "theo", "vera", "anna", "boris", "clara", "dario", "eva",
];

#[rustfmt::skip]
const LAST_NAMES: [&str; 100] = [
    "smith", "jones", "garcia", "miller", "davis", "lopez", "wilson", "anderson", "thomas",
    "taylor", "moore", "jackson", "martin", "lee", "perez", "thompson", "white", "harris",
    "sanchez", "clark", "ramirez", "lewis", "robinson", "walker", "young", "allen", "king",
    "wright", "scott", "torres", "nguyen", "hill", "flores", "green", "adams", "nelson", "baker",
    "hall", "rivera", "campbell", "mitchell", "carter", "roberts", "gomez", "phillips", "evans",
    "turner", "diaz", "parker", "cruz", "edwards", "collins", "reyes", "stewart", "morris",
    "morales", "murphy", "cook", "rogers", "gutierrez", "ortiz", "morgan", "cooper", "peterson",
    "bailey", "reed", "kelly", "howard", "ramos", "kim", "cox", "ward", "richardson", "watson",
    "brooks", "chavez", "wood", "james", "bennett", "gray", "mendoza", "ruiz", "hughes", "price",
    "alvarez", "castillo", "sanders", "patel", "myers", "long", "ross", "foster", "jimenez",
    "schmidt", "novak", "kowalski", "tanaka", "sato", "rossi", "dubois",
];

#[rustfmt::skip]
const LOCATIONS: [&str; 10] = [
    "berlin", "london", "new-york", "san-francisco", "toronto", "singapore", "sydney", "bangalore",
    "sao-paulo", "remote",
];

#[rustfmt::skip]
const JUSTIFICATIONS: [&str; 8] = [
    "Incident response", "Quarter-end close", "Customer escalation", "Audit evidence request",
    "Data migration project", "On-call cover", "Vendor onboarding", "Production debugging",
];

/// Share (percent) of a department's people in each job profile; every profile
/// stays well above the default `peer_outlier_ratio` of 10%, so that routine
/// access is not reported as `privilege/peer-outlier`.
const PROFILE_WEIGHTS: [u32; 4] = [35, 25, 20, 20];

const LEGACY_TEAM: &str = "legacy-platform";
const GUILD_TEAM: &str = "guild-architecture";

// ---------------------------------------------------------------------------
// Dates: civil days since 1970-01-01 <-> year-month-day
// ---------------------------------------------------------------------------

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn parse_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = s[0..4].parse().ok()?;
    let m: u32 = s[5..7].parse().ok()?;
    let d: u32 = s[8..10].parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let days = days_from_civil(y, m, d);
    (civil_from_days(days) == (y, m, d)).then_some(days)
}

/// A day, displayed as `YYYY-MM-DD`.
#[derive(Clone, Copy)]
struct Day(i64);

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = civil_from_days(self.0);
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

// ---------------------------------------------------------------------------
// Randomness helpers
// ---------------------------------------------------------------------------

fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// An independent random stream for (`stream`, `idx`), so that objects can be
/// generated in any order (and in parallel) with identical results.
fn rng_for(seed: u64, stream: u64, idx: u64) -> Rng {
    Rng::with_seed(mix(mix(seed ^ mix(stream)) ^ idx))
}

fn chance(rng: &mut Rng, p: f64) -> bool {
    rng.f64() < p
}

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> Option<&'a T> {
    if items.is_empty() {
        None
    } else {
        Some(&items[rng.usize(0..items.len())])
    }
}

/// A plausible typo of an id: swap, drop or double a character (never the first).
fn typo(rng: &mut Rng, s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() >= 3 {
        for _ in 0..6 {
            let i = rng.usize(1..chars.len() - 1);
            let mut c = chars.clone();
            match rng.u8(0..3) {
                0 => c.swap(i, i + 1),
                1 => {
                    c.remove(i);
                }
                _ => c.insert(i, chars[i]),
            }
            let t: String = c.into_iter().collect();
            if t != s {
                return t;
            }
        }
    }
    format!("{s}x")
}

/// A typo of a `prefix:rest` reference that keeps the colon (typo in either part).
fn typo_ref(rng: &mut Rng, s: &str) -> String {
    match s.split_once(':') {
        Some((a, b)) if rng.bool() || b == "*" => format!("{}:{b}", typo(rng, a)),
        Some((a, b)) => format!("{a}:{}", typo(rng, b)),
        None => typo(rng, s),
    }
}

fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, w) in s.split('-').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let mut cs = w.chars();
        if let Some(c) = cs.next() {
            out.extend(c.to_uppercase());
            out.push_str(cs.as_str());
        }
    }
    out
}

/// A department's display name.
fn dept_title(d: &str) -> String {
    match d {
        "it" | "hr" => d.to_uppercase(),
        _ => title(d),
    }
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

// ---------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------

struct Args {
    identities: usize,
    roles: usize,
    apps: Option<usize>,
    out: PathBuf,
    seed: u64,
    now: i64,
    threads: Option<usize>,
    force: bool,
}

fn parse_u64(key: &str, v: &str) -> Result<u64, String> {
    v.replace('_', "")
        .parse::<u64>()
        .map_err(|_| format!("{key}: `{v}` is not a non-negative integer"))
}

fn parse_num(key: &str, v: &str) -> Result<usize, String> {
    usize::try_from(parse_u64(key, v)?).map_err(|_| format!("{key}: `{v}` is too large"))
}

/// `Ok(None)` means `--help`.
fn parse_args(argv: impl IntoIterator<Item = String>) -> Result<Option<Args>, String> {
    let mut it = argv.into_iter();
    let (mut identities, mut roles, mut apps, mut out, mut threads) =
        (None, None, None, None, None);
    let mut seed = 42u64;
    let mut now = days_from_civil(2026, 11, 26);
    let mut force = false;
    while let Some(arg) = it.next() {
        let (key, inline) = match arg.split_once('=') {
            Some((k, v)) if k.starts_with("--") => (k.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        match key.as_str() {
            "-h" | "--help" => return Ok(None),
            "--force" => force = true,
            "--identities" | "--roles" | "--apps" | "--out" | "--seed" | "--now" | "--threads" => {
                let v = match inline {
                    Some(v) => v,
                    None => it.next().ok_or_else(|| format!("{key} needs a value"))?,
                };
                match key.as_str() {
                    "--identities" => identities = Some(parse_num(&key, &v)?),
                    "--roles" => roles = Some(parse_num(&key, &v)?),
                    "--apps" => apps = Some(parse_num(&key, &v)?),
                    "--threads" => threads = Some(parse_num(&key, &v)?),
                    "--seed" => seed = parse_u64(&key, &v)?,
                    "--now" => {
                        now = parse_date(&v)
                            .ok_or_else(|| format!("--now: `{v}` is not a date YYYY-MM-DD"))?;
                    }
                    _ => out = Some(PathBuf::from(v)),
                }
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let identities = identities.ok_or("--identities is required")?;
    let roles = roles.ok_or("--roles is required")?;
    let out = out.ok_or("--out is required")?;
    if !(10..=50_000_000).contains(&identities) {
        return Err("--identities must be between 10 and 50000000".into());
    }
    if !(10..=5_000_000).contains(&roles) {
        return Err("--roles must be between 10 and 5000000".into());
    }
    if let Some(a) = apps
        && !(1..=100_000).contains(&a)
    {
        return Err("--apps must be between 1 and 100000".into());
    }
    if threads == Some(0) {
        return Err("--threads must be at least 1".into());
    }
    Ok(Some(Args {
        identities,
        roles,
        apps,
        out,
        seed,
        now,
        threads,
        force,
    }))
}

// ---------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Active,
    Suspended,
    Terminated,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Suspended => "suspended",
            Status::Terminated => "terminated",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Ro = 0,
    Rw = 1,
    Pv = 2,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum NhKind {
    Service,
    Agent,
}

struct NonHuman {
    kind: NhKind,
    dept: u16,
    app: u32,
    purpose: u8,
    status: Status,
    idx: u32,
}

/// People: who exists, in which department, with which status.
struct Pop {
    depts: Vec<&'static str>,
    human_dept: Vec<u16>,
    human_status: Vec<Status>,
    active_by_dept: Vec<Vec<u32>>,
    managers_by_dept: Vec<Vec<u32>>,
    inactive: Vec<u32>,
    terminated: Vec<u32>,
    nh: Vec<NonHuman>,
    nh_by_dept: Vec<Vec<u32>>,
    services_by_dept: Vec<Vec<u32>>,
    name_perm: usize,
    it_dept: usize,
    security_dept: usize,
}

struct Perm {
    id: String,
    privileged: bool,
    description: Option<String>,
    class: Class,
    verb: u8,
    resource: u16,
    sod: u128,
}

struct App {
    id: String,
    dept: usize,
    owner: Option<String>,
    criticality: Option<&'static str>,
    data_class: Option<&'static str>,
    perms: Vec<Perm>,
    buckets: [Vec<u32>; 3],
    has_priv: bool,
    sod_union: u128,
}

struct Sod {
    id: String,
    description: String,
    owner: Option<String>,
    sides: Vec<Vec<String>>,
}

#[derive(Clone)]
struct Review {
    every_days: Option<u32>,
    last_reviewed: i64,
    reviewer: String,
}

#[derive(Clone)]
struct Suppress {
    rule: &'static str,
    reason: &'static str,
    until: i64,
    approved_by: Option<String>,
    ticket: Option<u32>,
}

#[derive(Clone, Default)]
struct Role {
    id: String,
    name: String,
    description: Option<String>,
    dept: Option<usize>,
    owner: Option<String>,
    /// resolved parents (drive the analysis-side bookkeeping)
    parents: Vec<u32>,
    /// own resolved permissions (app, perm)
    own: Vec<(u32, u32)>,
    /// wildcard applications
    wild: Vec<u32>,
    inherits_text: Vec<String>,
    perms_text: Vec<String>,
    privileged: bool,
    requires_mfa: bool,
    max_grant_days: Option<u32>,
    review: Option<Review>,
    suppress: Vec<Suppress>,
    // bookkeeping
    /// effective permissions (sorted), wildcards expanded
    eff: Vec<(u32, u32)>,
    eff_priv: bool,
    sod: u128,
    family: u32,
    ancestors: Vec<u32>,
    cycle: bool,
    empty: bool,
}

impl Role {
    fn is_priv(&self) -> bool {
        self.privileged || self.eff_priv
    }
    /// Fine to hand out as a routine standing grant.
    fn routine(&self) -> bool {
        !self.is_priv() && !self.cycle && !self.empty && self.max_grant_days.is_none()
    }
}

struct Catalog {
    apps: Vec<App>,
    home_apps: Vec<Vec<u32>>,
    sod: Vec<Sod>,
    roles: Vec<Role>,
    /// role docs per file (index < depts: department file, == depts: shared.yaml)
    role_files: Vec<Vec<u32>>,
    /// extra documents reusing an existing role id: (file index, role)
    dup_roles: Vec<(usize, Role)>,
    roles_by_dept: Vec<Vec<u32>>,
    shared_roles: Vec<u32>,
    baseline: Option<u32>,
    birthright: Vec<Option<u32>>,
    request_role: Vec<Option<u32>>,
    /// per department: job profiles (routine roles), see PROFILE_WEIGHTS
    profiles: Vec<Vec<Vec<u32>>>,
}

fn sod_conflict(mask: u128) -> bool {
    // three bits (sides) per rule; a conflict is two bits of one rule
    let mut m = mask;
    while m != 0 {
        if (m & 7).count_ones() >= 2 {
            return true;
        }
        m >>= 3;
    }
    false
}

// ---------------------------------------------------------------------------
// Population
// ---------------------------------------------------------------------------

fn human_id(pop: &Pop, h: u32) -> String {
    let fl = FIRST_NAMES.len() * LAST_NAMES.len();
    let h = h as usize;
    let pos = (h % fl) * pop.name_perm % fl;
    let (f, l) = (
        FIRST_NAMES[pos % FIRST_NAMES.len()],
        LAST_NAMES[pos / FIRST_NAMES.len()],
    );
    match h / fl {
        0 => format!("{f}.{l}"),
        q => format!("{f}.{l}{}", q + 1),
    }
}

fn human_name(pop: &Pop, h: u32) -> String {
    let fl = FIRST_NAMES.len() * LAST_NAMES.len();
    let pos = (h as usize % fl) * pop.name_perm % fl;
    format!(
        "{} {}",
        title(FIRST_NAMES[pos % FIRST_NAMES.len()]),
        title(LAST_NAMES[pos / FIRST_NAMES.len()])
    )
}

fn nh_id(pop: &Pop, apps: &[App], n: &NonHuman) -> String {
    match n.kind {
        NhKind::Service => format!(
            "svc-{}-{}-{:05}",
            apps[n.app as usize].id, SERVICE_PURPOSES[n.purpose as usize], n.idx
        ),
        NhKind::Agent => format!(
            "agent-{}-{}-{:05}",
            pop.depts[n.dept as usize], AGENT_PURPOSES[n.purpose as usize], n.idx
        ),
    }
}

fn build_pop(seed: u64, identities: usize, roles: usize) -> Pop {
    let humans = identities * 70 / 100;
    let services = identities * 25 / 100;
    let agents = identities - humans - services;
    let nd = (roles / 100).clamp(6, DEPTS.len()).min((humans / 4).max(2));
    let depts: Vec<&'static str> = DEPTS[..nd].iter().map(|d| d.0).collect();
    let weights: Vec<u32> = DEPTS[..nd].iter().map(|d| d.1).collect();
    let total_w: u32 = weights.iter().sum();
    let mut rng = rng_for(seed, 1, 0);
    let pick_dept = |rng: &mut Rng| {
        let mut x = rng.u32(0..total_w);
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i as u16;
            }
            x -= w;
        }
        0
    };
    let mut human_dept = Vec::with_capacity(humans);
    let mut human_status = Vec::with_capacity(humans);
    for h in 0..humans {
        // the first human of each department is its head, always active
        let d = if h < nd {
            h as u16
        } else {
            pick_dept(&mut rng)
        };
        let r = rng.f64();
        let st = if h < nd || r >= 0.03 {
            Status::Active
        } else if r < 0.02 {
            Status::Terminated
        } else {
            Status::Suspended
        };
        human_dept.push(d);
        human_status.push(st);
    }
    let mut active_by_dept = vec![Vec::new(); nd];
    let mut inactive = Vec::new();
    let mut terminated = Vec::new();
    for h in 0..humans {
        let d = human_dept[h] as usize;
        match human_status[h] {
            Status::Active => active_by_dept[d].push(h as u32),
            Status::Terminated => {
                inactive.push(h as u32);
                terminated.push(h as u32);
            }
            Status::Suspended => inactive.push(h as u32),
        }
    }
    let managers_by_dept = active_by_dept
        .iter()
        .map(|a: &Vec<u32>| a[..(a.len() / 10).max(1).min(a.len())].to_vec())
        .collect();
    let mut nh = Vec::with_capacity(services + agents);
    for i in 0..services + agents {
        let kind = if i < services {
            NhKind::Service
        } else {
            NhKind::Agent
        };
        let r = rng.f64();
        let status = if r < 0.02 {
            Status::Terminated
        } else if r < 0.03 {
            Status::Suspended
        } else {
            Status::Active
        };
        nh.push(NonHuman {
            kind,
            dept: pick_dept(&mut rng),
            app: rng.u32(..), // resolved to a home application in build_catalog
            purpose: match kind {
                NhKind::Service => rng.u8(0..SERVICE_PURPOSES.len() as u8),
                NhKind::Agent => rng.u8(0..AGENT_PURPOSES.len() as u8),
            },
            status,
            idx: if i < services {
                i as u32
            } else {
                (i - services) as u32
            },
        });
    }
    let mut nh_by_dept = vec![Vec::new(); nd];
    let mut services_by_dept = vec![Vec::new(); nd];
    for (i, n) in nh.iter().enumerate() {
        nh_by_dept[n.dept as usize].push(i as u32);
        if n.kind == NhKind::Service && n.status == Status::Active {
            services_by_dept[n.dept as usize].push(i as u32);
        }
    }
    let fl = FIRST_NAMES.len() * LAST_NAMES.len();
    let mut name_perm = fl * 5 / 8 + 1;
    while gcd(name_perm, fl) != 1 {
        name_perm += 1;
    }
    let find = |name: &str| depts.iter().position(|d| *d == name).unwrap_or(0);
    Pop {
        it_dept: find("it"),
        security_dept: find("security"),
        depts,
        human_dept,
        human_status,
        active_by_dept,
        managers_by_dept,
        inactive,
        terminated,
        nh,
        nh_by_dept,
        services_by_dept,
        name_perm,
    }
}

fn team_ref(pop: &Pop, d: usize) -> String {
    format!("team:{}", pop.depts[d])
}

fn head(pop: &Pop, d: usize) -> Option<u32> {
    pop.active_by_dept[d].first().copied()
}

/// An owner principal for an object of department `d`, with the ownership defects.
fn pick_owner(
    rng: &mut Rng,
    pop: &Pop,
    apps: &[App],
    d: usize,
    human_share: f64,
) -> Option<String> {
    let mut r = rng.f64();
    let mut take = |p: f64| {
        let hit = r < p;
        r -= p;
        hit
    };
    if take(P_OWNER_MISSING) {
        return None;
    }
    if take(P_OWNER_INACTIVE) {
        if let Some(&h) = pick(rng, &pop.inactive) {
            return Some(human_id(pop, h));
        }
    } else if take(P_OWNER_LEGACY_TEAM) {
        return Some(format!("team:{LEGACY_TEAM}"));
    } else if take(P_OWNER_NON_HUMAN) {
        if let Some(&s) = pick(rng, &pop.services_by_dept[d]) {
            return Some(nh_id(pop, apps, &pop.nh[s as usize]));
        }
    } else if take(P_OWNER_TYPO) {
        return Some(format!("team:{}", typo(rng, pop.depts[d])));
    } else if take(human_share)
        && let Some(&m) = pick(rng, &pop.managers_by_dept[d])
    {
        return Some(human_id(pop, m));
    }
    Some(team_ref(pop, d))
}

// ---------------------------------------------------------------------------
// Catalog: applications, SoD rules, roles
// ---------------------------------------------------------------------------

fn build_apps(seed: u64, pop: &Pop, n_apps: usize) -> (Vec<App>, Vec<u32>, Vec<Vec<u32>>) {
    let nd = pop.depts.len();
    let n_common = (n_apps / 10).clamp(2, COMMON_APPS.len()).min(n_apps);
    // (slug, dept)
    let mut plan: Vec<(String, usize)> = COMMON_APPS[..n_common]
        .iter()
        .map(|s| (s.to_string(), pop.it_dept))
        .collect();
    let dept_list = |d: usize| -> &'static [&'static str] {
        DEPT_APPS
            .iter()
            .find(|(n, _)| *n == pop.depts[d])
            .map(|(_, l)| *l)
            .unwrap_or(&["internal-tool"])
    };
    let mut next = vec![0usize; nd];
    let mut d = 0;
    while plan.len() < n_apps {
        let list = dept_list(d);
        let k = next[d];
        next[d] += 1;
        let base = list[k % list.len()];
        let round = k / list.len();
        let slug = if round == 0 {
            base.to_string()
        } else if round <= APP_SUFFIXES.len() {
            format!("{base}-{}", APP_SUFFIXES[round - 1])
        } else {
            format!("{base}-{}", round - APP_SUFFIXES.len() + 1)
        };
        plan.push((slug, d));
        d = (d + 1) % nd;
    }
    let mut apps = Vec::with_capacity(n_apps);
    for (i, (slug, dept)) in plan.into_iter().enumerate() {
        let mut rng = rng_for(seed, 2, i as u64);
        let n_perms = 20 + (rng.f64() * rng.f64() * 181.0) as usize;
        // the resources the owning department's tools are about first, then generic ones
        let mut themed: Vec<&str> = RESOURCE_THEMES
            .iter()
            .find(|(t, _)| *t == pop.depts[dept])
            .map(|(_, words)| words.split_whitespace().collect())
            .unwrap_or_default();
        rng.shuffle(&mut themed);
        let mut generic: Vec<&str> = RESOURCES
            .iter()
            .copied()
            .filter(|r| !themed.contains(r))
            .collect();
        rng.shuffle(&mut generic);
        let order: Vec<&str> = themed.into_iter().chain(generic).collect();
        let mut perms: Vec<Perm> = Vec::with_capacity(n_perms);
        let mut round = 0;
        'outer: loop {
            for (ri, &res) in order.iter().enumerate() {
                for (v, &(verb, w, class)) in VERBS.iter().enumerate() {
                    if rng.u32(0..1000) >= w {
                        continue;
                    }
                    let privileged = class == Class::Pv
                        || (verb == "delete" && chance(&mut rng, 0.15))
                        || chance(&mut rng, 0.012);
                    let resource = match round {
                        0 => res.to_string(),
                        r => format!("{res}{}", r + 1),
                    };
                    let description = chance(&mut rng, 0.25)
                        .then(|| format!("{} {}", title(verb), resource.replace('-', " ")));
                    perms.push(Perm {
                        id: format!("{resource}.{verb}"),
                        privileged,
                        description,
                        class: if privileged { Class::Pv } else { class },
                        verb: v as u8,
                        resource: (round * order.len() + ri) as u16,
                        sod: 0,
                    });
                    if perms.len() >= n_perms {
                        break 'outer;
                    }
                }
            }
            round += 1;
        }
        let mut buckets: [Vec<u32>; 3] = Default::default();
        for (j, p) in perms.iter().enumerate() {
            buckets[p.class as usize].push(j as u32);
        }
        let has_priv = !buckets[Class::Pv as usize].is_empty();
        // ownership defects at fixed positions, so that small catalogues show each of them
        let owner = match i % 50 {
            5 => None,
            17 => pop
                .terminated
                .first()
                .map(|&h| human_id(pop, h))
                .or_else(|| Some(team_ref(pop, dept))),
            29 => Some(format!("team:{LEGACY_TEAM}")),
            41 => None, // a service identity, set once services know their application
            _ if rng.f64() < 0.2 => pick(&mut rng, &pop.managers_by_dept[dept])
                .map(|&m| human_id(pop, m))
                .or_else(|| Some(team_ref(pop, dept))),
            _ => Some(team_ref(pop, dept)),
        };
        let dname = pop.depts[dept];
        let criticality = match rng.u32(0..100) {
            _ if matches!(dname, "finance" | "security" | "treasury") && rng.bool() => {
                Some("critical")
            }
            0..=19 => Some("low"),
            20..=39 => None,
            40..=59 => Some("medium"),
            60..=89 => Some("high"),
            _ => Some("critical"),
        };
        let data_class = match dname {
            "finance" | "treasury" => Some("pci"),
            "hr" | "legal" => Some("pii"),
            _ => None,
        };
        apps.push(App {
            id: slug,
            dept,
            owner,
            criticality,
            data_class,
            perms,
            buckets,
            has_priv,
            sod_union: 0,
        });
    }
    let common: Vec<u32> = (0..n_common as u32).collect();
    let home = (0..nd)
        .map(|d| {
            let own: Vec<u32> = (n_common..apps.len())
                .filter(|&a| apps[a].dept == d)
                .map(|a| a as u32)
                .collect();
            if own.is_empty() {
                // a department without tools of its own uses everybody's
                (0..apps.len() as u32).collect()
            } else {
                own
            }
        })
        .collect();
    (apps, common, home)
}

/// Chooses maker/checker permission pairs and marks them (bits) on the permissions.
fn build_sod(seed: u64, pop: &Pop, apps: &mut [App], n_common: usize) -> Vec<Sod> {
    let mut rng = rng_for(seed, 3, 0);
    let n_rules = (apps.len() / 8).clamp(4, 40);
    let candidates: Vec<usize> = if apps.len() > n_common {
        (n_common..apps.len()).collect()
    } else {
        (0..apps.len()).collect()
    };
    let mut rules = Vec::new();
    let mut used_ids = Vec::new();
    for r in 0..n_rules * 3 {
        if rules.len() >= n_rules {
            break;
        }
        let a = candidates[(r * 7 + r / candidates.len()) % candidates.len()];
        let app = &apps[a];
        let free = |j: usize| app.perms[j].sod == 0 && app.perms[j].class != Class::Pv;
        let verb_is = |j: usize, vs: &[&str]| vs.contains(&VERBS[app.perms[j].verb as usize].0);
        // a resource with both a maker and a checker verb
        let mut pair = None;
        for j in 0..app.perms.len() {
            if !free(j) || !verb_is(j, &["create", "write"]) {
                continue;
            }
            if let Some(k) = (0..app.perms.len()).find(|&k| {
                free(k)
                    && app.perms[k].resource == app.perms[j].resource
                    && verb_is(k, &["approve"])
            }) {
                pair = Some((j, k));
                break;
            }
        }
        // otherwise any maker and any checker (or, failing that, two writers)
        let pair = pair.or_else(|| {
            let makers: Vec<usize> = (0..app.perms.len())
                .filter(|&j| {
                    free(j) && app.perms[j].class == Class::Rw && !verb_is(j, &["approve"])
                })
                .collect();
            let checkers: Vec<usize> = (0..app.perms.len())
                .filter(|&j| free(j) && verb_is(j, &["approve", "export"]))
                .collect();
            match (makers.first(), checkers.first()) {
                (Some(&m), Some(&c)) => Some((m, c)),
                _ => (makers.len() >= 2).then(|| (makers[0], makers[makers.len() - 1])),
            }
        });
        let Some((pa, pb)) = pair else { continue };
        let (res_a, verb_a) = app.perms[pa]
            .id
            .split_once('.')
            .unwrap_or(("items", "write"));
        let (res_b, verb_b) = app.perms[pb]
            .id
            .split_once('.')
            .unwrap_or(("items", "approve"));
        let mut id = format!("{}-{}-maker-checker", app.id, res_a);
        if used_ids.contains(&id) {
            id = format!("{id}-{}", rules.len() + 1);
        }
        used_ids.push(id.clone());
        let k = rules.len();
        let sides = vec![
            vec![format!("{}:{}", app.id, app.perms[pa].id)],
            vec![format!("{}:{}", app.id, app.perms[pb].id)],
        ];
        let description = if res_a == res_b {
            format!(
                "Whoever may {verb_a} {} in {} must not also {verb_b} them",
                res_a.replace('-', " "),
                title(&app.id),
            )
        } else {
            format!(
                "Whoever may {verb_a} {} in {} must not also {verb_b} {}",
                res_a.replace('-', " "),
                title(&app.id),
                res_b.replace('-', " "),
            )
        };
        let owner = if k == 2 {
            None // ownership/missing-owner
        } else if rng.bool() {
            Some(team_ref(pop, pop.security_dept))
        } else {
            Some(team_ref(pop, app.dept))
        };
        let app = &mut apps[a];
        app.perms[pa].sod = 1u128 << (3 * k);
        app.perms[pb].sod = 1u128 << (3 * k + 1);
        app.sod_union |= app.perms[pa].sod | app.perms[pb].sod;
        rules.push(Sod {
            id,
            description,
            owner,
            sides,
        });
    }
    rules
}

/// Which permission classes a role level draws from, and how many privileged picks.
fn level_profile(level: &str) -> (&'static [Class], u32) {
    match level {
        "viewer" => (&[Class::Ro, Class::Ro, Class::Rw], 0),
        "editor" => (&[Class::Rw, Class::Rw, Class::Ro], 0),
        "operator" => (&[Class::Rw], 0),
        "admin" => (&[Class::Rw, Class::Ro], 2),
        "owner" => (&[Class::Rw, Class::Ro], 2),
        _ => (&[Class::Ro, Class::Rw], 0),
    }
}

struct RoleBuilder<'a> {
    pop: &'a Pop,
    apps: &'a [App],
    now: i64,
    roles: Vec<Role>,
    wildcards: Vec<u32>,
    dup_roles: Vec<(usize, Role)>,
    toxic_pairs: Vec<((u32, u32), (u32, u32))>,
    common: Vec<u32>,
}

impl RoleBuilder<'_> {
    fn pick_perm(
        &self,
        rng: &mut Rng,
        focus: &Focus,
        class: Class,
        mask: u128,
        taken: &[(u32, u32)],
    ) -> Option<(u32, u32)> {
        for attempt in 0..28 {
            // the family's applications first, then the department's wider set
            let apps = if attempt < 16 {
                focus.apps
            } else {
                focus.wider
            };
            let a = *pick(rng, apps)?;
            let app = &self.apps[a as usize];
            // fall back to other classes once the preferred one keeps failing
            let c = if attempt % 16 < 8 {
                class as usize
            } else {
                (class as usize + attempt) % 2
            };
            let Some(&p) = pick(rng, &app.buckets[c]) else {
                continue;
            };
            if taken.contains(&(a, p)) || sod_conflict(mask | app.perms[p as usize].sod) {
                continue;
            }
            return Some((a, p));
        }
        None
    }

    /// Fills `role.own` with `count` permissions of the level's profile.
    /// Never picks what the role already inherits, nor the other side of a SoD rule.
    fn fill(&self, rng: &mut Rng, role: &mut Role, focus: &Focus, level: &str, count: usize) {
        let (classes, priv_picks) = level_profile(level);
        let mut mask = self.inherited_mask(role);
        let mut taken: Vec<(u32, u32)> = role
            .parents
            .iter()
            .flat_map(|&p| self.roles[p as usize].eff.iter().copied())
            .collect();
        taken.extend_from_slice(&role.own);
        let mut want_priv = match priv_picks {
            0 => 0,
            n if chance(rng, 0.88) => rng.u32(1..=n),
            _ => 0,
        };
        for _ in 0..count {
            let class = if want_priv > 0 {
                want_priv -= 1;
                Class::Pv
            } else {
                *pick(rng, classes).unwrap_or(&Class::Ro)
            };
            if let Some((a, p)) = self.pick_perm(rng, focus, class, mask, &taken) {
                mask |= self.apps[a as usize].perms[p as usize].sod;
                role.own.push((a, p));
                taken.push((a, p));
            }
        }
    }

    fn inherited_mask(&self, role: &Role) -> u128 {
        role.parents
            .iter()
            .fold(0, |m, &p| m | self.roles[p as usize].sod)
    }

    fn inherited_size(&self, role: &Role) -> usize {
        let mut all: Vec<(u32, u32)> = role
            .parents
            .iter()
            .flat_map(|&p| self.roles[p as usize].eff.iter().copied())
            .collect();
        all.sort_unstable();
        all.dedup();
        all.len()
    }

    fn owner(&self, rng: &mut Rng, d: Option<usize>) -> Option<String> {
        match d {
            Some(d) => pick_owner(rng, self.pop, self.apps, d, 0.4),
            None => Some(team_ref(self.pop, self.pop.it_dept)),
        }
    }

    /// Derives written references, flags, review and ownership; pushes the role.
    fn finish(&mut self, rng: &mut Rng, mut role: Role, copy_of: Option<u32>) -> u32 {
        // written references, with the odd typo (a typo resolves to nothing)
        role.inherits_text.clear();
        let parents = std::mem::take(&mut role.parents);
        for p in parents {
            let pid = &self.roles[p as usize].id;
            if chance(rng, P_TYPO_REF) {
                role.inherits_text.push(typo(rng, pid));
            } else {
                role.inherits_text.push(pid.clone());
                role.parents.push(p);
            }
        }
        role.perms_text.clear();
        let own = std::mem::take(&mut role.own);
        for (a, p) in own {
            let text = format!(
                "{}:{}",
                self.apps[a as usize].id, self.apps[a as usize].perms[p as usize].id
            );
            if chance(rng, P_TYPO_REF) {
                role.perms_text.push(typo_ref(rng, &text));
            } else {
                role.perms_text.push(text);
                role.own.push((a, p));
            }
        }
        for &a in &role.wild {
            role.perms_text
                .push(format!("{}:*", self.apps[a as usize].id));
        }
        // effective facts
        role.eff_priv = false;
        role.sod = 0;
        role.ancestors.clear();
        role.eff = role.own.clone();
        for &(a, p) in &role.own {
            let perm = &self.apps[a as usize].perms[p as usize];
            role.eff_priv |= perm.privileged;
            role.sod |= perm.sod;
        }
        for &a in &role.wild {
            let app = &self.apps[a as usize];
            role.eff_priv |= app.has_priv;
            role.sod |= app.sod_union;
            role.eff.extend((0..app.perms.len() as u32).map(|p| (a, p)));
        }
        for &p in &role.parents {
            let pr = &self.roles[p as usize];
            role.eff_priv |= pr.eff_priv;
            role.sod |= pr.sod;
            role.eff.extend_from_slice(&pr.eff);
            role.ancestors.push(p);
            role.ancestors.extend_from_slice(&pr.ancestors);
        }
        role.eff.sort_unstable();
        role.eff.dedup();
        role.ancestors.sort_unstable();
        role.ancestors.dedup();
        role.empty = role.eff.is_empty();
        // declared tier, MFA, grant limit
        role.privileged = if role.eff_priv {
            !chance(rng, P_UNDECLARED_PRIV)
        } else {
            chance(rng, 0.02)
        };
        let is_priv = role.is_priv();
        role.requires_mfa = if is_priv {
            !chance(rng, P_PRIV_NO_MFA)
        } else {
            chance(rng, 0.05)
        };
        role.max_grant_days = if is_priv && chance(rng, 0.6) {
            Some(*pick(rng, &[7, 14, 30, 30, 60, 90]).unwrap_or(&30))
        } else if !is_priv && chance(rng, 0.02) {
            Some(180)
        } else {
            None
        };
        role.owner = self.owner(rng, role.dept);
        // review
        let reviewer = match role.dept {
            Some(d) => match &role.owner {
                Some(o) if !o.starts_with("team:") && rng.bool() => o.clone(),
                _ => head(self.pop, d)
                    .map_or_else(|| team_ref(self.pop, d), |h| human_id(self.pop, h)),
            },
            None => team_ref(self.pop, self.pop.it_dept),
        };
        role.review = if is_priv {
            if chance(rng, P_PRIV_NEVER_REVIEWED) {
                None
            } else {
                let every = *pick(rng, &[30, 60, 90, 90]).unwrap_or(&90);
                let last = if chance(rng, P_REVIEW_OVERDUE) {
                    self.now - i64::from(every) - rng.i64(1..=200)
                } else {
                    self.now - rng.i64(0..i64::from(every))
                };
                Some(Review {
                    every_days: Some(every),
                    last_reviewed: last,
                    reviewer,
                })
            }
        } else if chance(rng, 0.35) {
            let every = if rng.u8(0..10) < 4 {
                None
            } else {
                pick(rng, &[90, 180, 365]).copied()
            };
            let cadence = i64::from(every.unwrap_or(180));
            let last = if chance(rng, P_REVIEW_OVERDUE) {
                self.now - cadence - rng.i64(1..=300)
            } else {
                self.now - rng.i64(0..cadence)
            };
            Some(Review {
                every_days: every,
                last_reviewed: last,
                reviewer,
            })
        } else {
            None
        };
        // suppressions
        if copy_of.is_some() && chance(rng, 0.25) {
            let expired = chance(rng, 0.15);
            role.suppress.push(Suppress {
                rule: "overlap/near-duplicate-roles",
                reason: "Kept apart on purpose for the SOX audit scope",
                until: if expired {
                    self.now - rng.i64(1..=120)
                } else {
                    self.now + rng.i64(30..=300)
                },
                approved_by: Some(team_ref(self.pop, self.pop.security_dept)),
                ticket: Some(rng.u32(100..10_000)),
            });
        } else if chance(rng, P_UNUSED_SUPPRESSION) && !role.empty {
            role.suppress.push(Suppress {
                rule: "overlap/empty-role",
                reason: "Placeholder kept for the directory migration",
                until: self.now + rng.i64(30..=365),
                approved_by: None,
                ticket: None,
            });
        }
        let idx = self.roles.len() as u32;
        self.roles.push(role);
        idx
    }

    fn new_role(&self, id: String, name: String, dept: Option<usize>, family: u32) -> Role {
        Role {
            id,
            name,
            dept,
            family,
            ..Role::default()
        }
    }

    /// A near-duplicate (one permission swapped or added) or exact duplicate of `src`.
    fn copy_role(&mut self, rng: &mut Rng, src: u32, focus: &Focus, exact: bool) -> u32 {
        let s = &self.roles[src as usize];
        let suffix = if exact {
            "copy"
        } else {
            *pick(rng, &["v2", "new", "legacy", "tmp"]).unwrap_or(&"v2")
        };
        let mut role = self.new_role(
            format!("{}-{suffix}", s.id),
            format!("{} ({suffix})", s.name),
            s.dept,
            s.family,
        );
        role.description = s.description.clone();
        role.parents = s.parents.clone();
        role.own = s.own.clone();
        role.wild = s.wild.clone();
        let (eff, sod) = (s.eff.clone(), s.sod);
        if exact {
            role.own.reverse();
        } else {
            let class = role.own.first().map_or(Class::Ro, |&(a, p)| {
                self.apps[a as usize].perms[p as usize].class
            });
            if let Some(extra) = self.pick_perm(rng, focus, class, sod, &eff) {
                // swapping one of n keeps Jaccard (n-1)/(n+1) >= 0.8 from n = 9 on
                if eff.len() >= 9 && role.own.len() > 1 {
                    let i = rng.usize(0..role.own.len());
                    role.own[i] = extra;
                } else {
                    role.own.push(extra);
                }
            }
        }
        self.finish(rng, role, Some(src))
    }

    /// Possibly follows a freshly made role with a (near-)duplicate; returns how many were added.
    fn maybe_copy(&mut self, rng: &mut Rng, src: u32, focus: &Focus, room: usize) -> usize {
        if room == 0 || self.roles[src as usize].cycle || self.roles[src as usize].empty {
            return 0;
        }
        let r = rng.f64();
        if r < P_NEAR_DUP {
            self.copy_role(rng, src, focus, false);
            1
        } else if r < P_NEAR_DUP + P_EXACT_DUP {
            self.copy_role(rng, src, focus, true);
            1
        } else {
            0
        }
    }

    /// sod/toxic-role: both sides of one SoD rule.
    fn make_toxic(&self, rng: &mut Rng, role: &mut Role) {
        if let Some(&(a, b)) = pick(rng, &self.toxic_pairs) {
            for x in [a, b] {
                if !role.own.contains(&x) {
                    role.own.push(x);
                }
            }
        }
    }

    /// privilege/wildcard-permission, at most once per application.
    fn maybe_wildcard(&mut self, rng: &mut Rng, role: &mut Role, focus: &Focus) {
        if !chance(rng, P_WILDCARD) {
            return;
        }
        let own_mask = role
            .own
            .iter()
            .fold(self.inherited_mask(role), |m, &(a, p)| {
                m | self.apps[a as usize].perms[p as usize].sod
            });
        for &a in focus.apps.iter().chain(&self.common) {
            let app = &self.apps[a as usize];
            if self.wildcards[a as usize] == 0
                && app.perms.len() <= 80
                && !sod_conflict(own_mask | app.sod_union)
            {
                self.wildcards[a as usize] += 1;
                role.wild.push(a);
                return;
            }
        }
    }
}

/// Where a role draws its permissions from.
struct Focus<'a> {
    apps: &'a [u32],
    wider: &'a [u32],
}

fn family_noun(f: usize) -> String {
    match f / FAMILY_NOUNS.len() {
        0 => FAMILY_NOUNS[f].to_string(),
        k => format!("{}{}", FAMILY_NOUNS[f % FAMILY_NOUNS.len()], k + 1),
    }
}

fn build_catalog(seed: u64, pop: &mut Pop, n_roles: usize, n_apps: usize, now: i64) -> Catalog {
    let nd = pop.depts.len();
    let (mut apps, common_apps, home_apps) = build_apps(seed, pop, n_apps);
    // attach every service to one of its department's applications
    for n in &mut pop.nh {
        let home = &home_apps[n.dept as usize];
        n.app = home[n.app as usize % home.len()];
    }
    let pop: &Pop = pop;
    // ownership/non-human-owner on applications
    for i in (41..apps.len()).step_by(50) {
        let d = apps[i].dept;
        apps[i].owner = match pop.services_by_dept[d].first() {
            Some(&s) => Some(nh_id(pop, &apps, &pop.nh[s as usize])),
            None => Some(team_ref(pop, d)),
        };
    }
    let sod = build_sod(seed, pop, &mut apps, common_apps.len());
    let toxic_pairs: Vec<((u32, u32), (u32, u32))> = (0..sod.len())
        .filter_map(|k| {
            let find = |bit: u128| {
                apps.iter().enumerate().find_map(|(a, app)| {
                    app.perms
                        .iter()
                        .position(|p| p.sod == bit)
                        .map(|p| (a as u32, p as u32))
                })
            };
            Some((find(1u128 << (3 * k))?, find(1u128 << (3 * k + 1))?))
        })
        .collect();
    let mut b = RoleBuilder {
        pop,
        apps: &apps,
        now,
        roles: Vec::with_capacity(n_roles + 16),
        wildcards: vec![0; n_apps],
        dup_roles: Vec::new(),
        toxic_pairs,
        common: common_apps.clone(),
    };
    let mut role_files: Vec<Vec<u32>> = vec![Vec::new(); nd + 1];
    let mut roles_by_dept: Vec<Vec<u32>> = vec![Vec::new(); nd];
    let mut family: u32 = 0;
    let mut chains = 0usize;

    // shared roles: no department, drawn from the common tools
    let n_shared = (n_roles / 100).clamp(3, 200).min(n_roles / 3);
    let mut shared_roles = Vec::new();
    for s in 0..n_shared {
        let mut rng = rng_for(seed, 4, s as u64);
        let (id, name) = match s {
            0 => (
                "employee-baseline".to_string(),
                "Employee baseline".to_string(),
            ),
            1 => (
                "contractor-baseline".to_string(),
                "Contractor baseline".to_string(),
            ),
            2 => ("vpn-user".to_string(), "VPN user".to_string()),
            _ => {
                let noun = SHARED_NOUNS[s % SHARED_NOUNS.len()];
                (
                    format!("shared-{noun}-{}", s / SHARED_NOUNS.len() + 1),
                    format!("Shared {noun} access"),
                )
            }
        };
        let mut role = b.new_role(id, name, None, family);
        family += 1;
        role.description = Some("Available to every department".to_string());
        let count = rng.usize(3..=7);
        let focus = Focus {
            apps: &common_apps,
            wider: &common_apps,
        };
        b.fill(&mut rng, &mut role, &focus, "viewer", count);
        let idx = b.finish(&mut rng, role, None);
        shared_roles.push(idx);
        role_files[nd].push(idx);
    }

    // department roles
    let n_dept_roles = n_roles - n_shared;
    for d in 0..nd {
        let quota = n_dept_roles / nd + usize::from(d < n_dept_roles % nd);
        let dname = pop.depts[d];
        let mut rng = rng_for(seed, 5, d as u64);
        let home = &home_apps[d];
        let wider: Vec<u32> = home.iter().chain(&common_apps).copied().collect();
        let mut made = 0usize;
        let mut fam_in_dept = 0usize;
        let mut bundles = 0usize;
        // roles of earlier families that bundles may inherit: (role, family)
        let mut bundle_pool: Vec<(u32, u32)> = Vec::new();
        let start = b.roles.len();
        while made < quota {
            let remaining = quota - made;
            let mut focus_apps: Vec<u32> = Vec::with_capacity(3);
            for _ in 0..rng.usize(1..=2) {
                if let Some(&a) = pick(&mut rng, home)
                    && !focus_apps.contains(&a)
                {
                    focus_apps.push(a);
                }
            }
            if chance(&mut rng, 0.2)
                && let Some(&a) = pick(&mut rng, &common_apps)
                && !focus_apps.contains(&a)
            {
                focus_apps.push(a);
            }
            // enough permissions to draw from that the family's roles stay distinct
            let capacity = |f: &[u32]| {
                f.iter()
                    .map(|&a| apps[a as usize].perms.len())
                    .sum::<usize>()
            };
            for _ in 0..8 {
                if capacity(&focus_apps) >= 60 {
                    break;
                }
                if let Some(&a) = pick(&mut rng, &wider)
                    && !focus_apps.contains(&a)
                {
                    focus_apps.push(a);
                }
            }
            let focus = Focus {
                apps: &focus_apps,
                wider: &wider,
            };
            let roll = rng.f64();
            if remaining < 3 || roll < 0.12 {
                // standalone role
                let noun = family_noun(fam_in_dept);
                fam_in_dept += 1;
                let mut role = b.new_role(
                    format!("{dname}-{noun}-access"),
                    format!("{} {noun} access", dept_title(dname)),
                    Some(d),
                    family,
                );
                family += 1;
                if chance(&mut rng, P_EMPTY_ROLE) {
                    role.description = Some("Placeholder, permissions to be defined".to_string());
                } else {
                    let count = rng.usize(3..=8);
                    let level = if chance(&mut rng, 0.1) {
                        "admin"
                    } else {
                        "access"
                    };
                    b.fill(&mut rng, &mut role, &focus, level, count);
                    if chance(&mut rng, P_TOXIC_ROLE) {
                        b.make_toxic(&mut rng, &mut role);
                    }
                }
                let idx = b.finish(&mut rng, role, None);
                made += 1;
                made += b.maybe_copy(&mut rng, idx, &focus, quota - made);
            } else if roll < 0.20 && bundle_pool.len() >= 4 {
                // bundle role inheriting 2-3 roles of different families
                let word = BUNDLE_WORDS[bundles % BUNDLE_WORDS.len()];
                let id = match bundles / BUNDLE_WORDS.len() {
                    0 => format!("{dname}-bundle-{word}"),
                    k => format!("{dname}-bundle-{word}-{}", k + 1),
                };
                bundles += 1;
                let mut role = b.new_role(
                    id,
                    format!("{} {word} bundle", dept_title(dname)),
                    Some(d),
                    family,
                );
                family += 1;
                role.description = Some(format!("Everything the {word}s in {dname} need"));
                let mut mask = 0u128;
                let mut fams: Vec<u32> = Vec::new();
                for _ in 0..rng.usize(2..=3) {
                    for _ in 0..6 {
                        let Some(&(r, f)) = pick(&mut rng, &bundle_pool) else {
                            break;
                        };
                        let rs = b.roles[r as usize].sod;
                        if fams.contains(&f) || sod_conflict(mask | rs) {
                            continue;
                        }
                        fams.push(f);
                        mask |= rs;
                        role.parents.push(r);
                        break;
                    }
                }
                // enough of its own that it is not a near-duplicate of what it inherits
                let inh = b.inherited_size(&role);
                let count = ((inh * 3).div_ceil(10).max(2) + rng.usize(0..=2)).min(15);
                b.fill(&mut rng, &mut role, &focus, "access", count);
                b.finish(&mut rng, role, None);
                made += 1;
            } else {
                // a family: an inheritance chain of depth 3-5
                let depth = rng.usize(3..=5).min(remaining);
                let levels: &[&str] = match depth {
                    3 => &LEVELS3,
                    4 => &LEVELS4,
                    _ => &LEVELS5,
                };
                let noun = family_noun(fam_in_dept);
                fam_in_dept += 1;
                chains += 1;
                let make_cycle = chains == 2 || chance(&mut rng, P_CYCLE);
                let mut prev: Option<u32> = None;
                let mut chain: Vec<u32> = Vec::new();
                for (l, level) in levels.iter().enumerate() {
                    let mut role = b.new_role(
                        format!("{dname}-{noun}-{level}"),
                        format!("{} {noun} {level}", dept_title(dname)),
                        Some(d),
                        family,
                    );
                    if chance(&mut rng, 0.5) {
                        let verb = match *level {
                            "viewer" => "Read-only access to",
                            "editor" => "Edit",
                            "operator" => "Operate",
                            "admin" => "Administer",
                            _ => "Full control of",
                        };
                        let app = title(&b.apps[focus_apps[0] as usize].id);
                        role.description = Some(format!("{verb} {noun} in {app}"));
                    }
                    role.parents.extend(prev);
                    // each level adds at least 30% to what it inherits: no near-duplicates
                    let count = if l == 0 {
                        rng.usize(3..=7)
                    } else {
                        let inh = b.inherited_size(&role);
                        ((inh * 3).div_ceil(10).max(2) + rng.usize(0..=3)).min(15)
                    };
                    b.fill(&mut rng, &mut role, &focus, level, count);
                    let top = l + 1 == levels.len();
                    if top {
                        b.maybe_wildcard(&mut rng, &mut role, &focus);
                        if chance(&mut rng, P_TOXIC_ROLE) {
                            b.make_toxic(&mut rng, &mut role);
                        }
                    }
                    let idx = b.finish(&mut rng, role, None);
                    chain.push(idx);
                    made += 1;
                    if l < 3 && l + 2 < levels.len() {
                        bundle_pool.push((idx, family));
                    }
                    prev = Some(idx);
                }
                if make_cycle && chain.len() >= 2 {
                    // the viewer also inherits the editor (which inherits the viewer)
                    let (v, e) = (chain[0] as usize, chain[1] as usize);
                    let (eid, esod, eeff) = (
                        b.roles[e].id.clone(),
                        b.roles[e].sod,
                        b.roles[e].eff.clone(),
                    );
                    let rv = &mut b.roles[v];
                    rv.inherits_text.push(eid);
                    rv.sod |= esod;
                    rv.eff = eeff; // the editor's effective set includes the viewer's
                    rv.cycle = true;
                    b.roles[e].cycle = true;
                }
                family += 1;
                let last = *chain.last().unwrap_or(&0);
                made += b.maybe_copy(&mut rng, last, &focus, quota - made);
                if let Some(&mid) = chain.get(chain.len() / 2) {
                    made += b.maybe_copy(&mut rng, mid, &focus, quota - made);
                }
            }
        }
        // everything made in this department, copies included
        role_files[d] = (start..b.roles.len()).map(|r| r as u32).collect();
        roles_by_dept[d] = role_files[d].clone();
    }
    // duplicate ids: a stale copy of a role left in another department's file
    let mut rng = rng_for(seed, 6, 0);
    let n_dups = ((b.roles.len() as f64 * P_DUP_ROLE_ID).round() as usize).max(1);
    for _ in 0..n_dups {
        let r = rng.usize(0..b.roles.len());
        let role = &b.roles[r];
        let file = match role.dept {
            Some(d) if nd > 1 => (d + 1 + rng.usize(0..nd - 1)) % nd,
            _ => rng.usize(0..nd),
        };
        let mut copy = role.clone();
        copy.owner = pick(&mut rng, &pop.managers_by_dept[file]).map(|&m| human_id(pop, m));
        copy.description = Some("Moved here during the reorg; do not use".to_string());
        copy.suppress.clear();
        b.dup_roles.push((file, copy));
    }
    let RoleBuilder {
        roles, dup_roles, ..
    } = b;

    // one SoD rule also names a role on its maker side
    let mut sod = sod;
    if let Some(rule) = sod.first_mut()
        && let Some(r) = roles
            .iter()
            .find(|r| r.sod & 1 != 0 && r.sod & 2 == 0 && !r.cycle)
    {
        rule.sides[0].push(format!("role:{}", r.id));
    }
    // one SoD rule carries an unknown permission reference
    if let Some(rule) = sod.get_mut(1) {
        let t = typo_ref(&mut rng, &rule.sides[1][0]);
        rule.sides[1].push(t);
    }

    let baseline = shared_roles
        .first()
        .copied()
        .filter(|&r| roles[r as usize].routine());
    let birthright: Vec<Option<u32>> = (0..nd)
        .map(|d| {
            roles_by_dept[d]
                .iter()
                .copied()
                .find(|&r| roles[r as usize].routine() && roles[r as usize].parents.is_empty())
        })
        .collect();
    // the privileged role each department's request playbook hands out; it can
    // be held next to the birthright roles without a redundant grant
    let request_role = (0..nd)
        .map(|d| {
            let base: Vec<u32> = [baseline, birthright[d]].into_iter().flatten().collect();
            let mask = base.iter().fold(0, |m, &r| m | roles[r as usize].sod);
            let usable = |r: u32| {
                let role = &roles[r as usize];
                role.is_priv() && !role.cycle && !role.empty && compatible(&roles, &base, mask, r)
            };
            // preferably one that is configured properly (declared, MFA)
            let proper = |r: u32| {
                let role = &roles[r as usize];
                role.eff_priv && role.privileged && role.requires_mfa
            };
            let dept = &roles_by_dept[d];
            dept.iter()
                .copied()
                .find(|&r| usable(r) && proper(r))
                .or_else(|| dept.iter().copied().find(|&r| usable(r)))
        })
        .collect();
    // job profiles: 1-2 routine roles on top of the birthright ones
    let profiles = (0..nd)
        .map(|d| {
            let mut rng = rng_for(seed, 8, d as u64);
            let base: Vec<u32> = [baseline, birthright[d]].into_iter().flatten().collect();
            let base_mask = base.iter().fold(0, |m, &r| m | roles[r as usize].sod);
            let cands: Vec<u32> = roles_by_dept[d]
                .iter()
                .copied()
                .filter(|&r| roles[r as usize].routine())
                .collect();
            (0..PROFILE_WEIGHTS.len())
                .map(|_| {
                    let mut held = base.clone();
                    let mut mask = base_mask;
                    for _ in 0..rng.usize(1..=2) {
                        for _ in 0..10 {
                            let Some(&r) = pick(&mut rng, &cands) else {
                                break;
                            };
                            if compatible(&roles, &held, mask, r) {
                                held.push(r);
                                mask |= roles[r as usize].sod;
                                break;
                            }
                        }
                    }
                    held.split_off(base.len())
                })
                .collect()
        })
        .collect();
    Catalog {
        profiles,
        apps,
        home_apps,
        sod,
        roles,
        role_files,
        dup_roles,
        roles_by_dept,
        shared_roles,
        baseline,
        birthright,
        request_role,
    }
}

const LEVELS3: [&str; 3] = ["viewer", "operator", "admin"];
const LEVELS4: [&str; 4] = ["viewer", "editor", "operator", "admin"];
const LEVELS5: [&str; 5] = ["viewer", "editor", "operator", "admin", "owner"];

// ---------------------------------------------------------------------------
// Identities
// ---------------------------------------------------------------------------

/// Whether role `r` can join `held` without a redundant grant or a SoD conflict.
fn compatible(roles: &[Role], held: &[u32], mask: u128, r: u32) -> bool {
    let role = &roles[r as usize];
    !held.iter().any(|&x| {
        let other = &roles[x as usize];
        x == r
            || other.family == role.family
            || other.ancestors.contains(&r)
            || role.ancestors.contains(&x)
    }) && !sod_conflict(mask | role.sod)
}

#[derive(Clone)]
struct Grant {
    role: Option<String>,
    permission: Option<String>,
    granted: i64,
    expires: Option<i64>,
    revoked: Option<i64>,
    approved_by: Option<String>,
    ticket: Option<u32>,
    via: Option<String>,
    justification: Option<&'static str>,
    /// bookkeeping: the role's own limit, if it is a role grant
    limit: Option<u32>,
}

impl Grant {
    fn new(granted: i64) -> Grant {
        Grant {
            role: None,
            permission: None,
            granted,
            expires: None,
            revoked: None,
            approved_by: None,
            ticket: None,
            via: None,
            justification: None,
            limit: None,
        }
    }
}

#[derive(Clone)]
struct Cred {
    id: &'static str,
    ty: &'static str,
    created: i64,
    last_rotated: Option<i64>,
    expires: Option<i64>,
}

#[derive(Clone)]
struct Ident {
    id: String,
    name: String,
    ty: &'static str,
    status: Status,
    terminated_on: Option<i64>,
    dept: &'static str,
    manager: Option<String>,
    owner: Option<String>,
    labels: Vec<(&'static str, &'static str)>,
    creds: Vec<Cred>,
    grants: Vec<Grant>,
    suppress: Vec<Suppress>,
}

/// What an identity already holds, so that routine grants stay clean.
struct Holding {
    roles: Vec<u32>,
    perms: Vec<(u32, u32)>,
    mask: u128,
}

struct Gen<'a> {
    pop: &'a Pop,
    cat: &'a Catalog,
    now: i64,
    seed: u64,
}

fn joiner_id(d: &str) -> String {
    format!("jml-joiner-{d}")
}

fn request_id(d: &str) -> String {
    format!("access-request-{d}")
}

impl Gen<'_> {
    fn can_hold(&self, h: &Holding, r: u32) -> bool {
        compatible(&self.cat.roles, &h.roles, h.mask, r)
    }

    fn find_role(
        &self,
        rng: &mut Rng,
        h: &Holding,
        pool: &[u32],
        want: impl Fn(&Role) -> bool,
    ) -> Option<u32> {
        for _ in 0..12 {
            let &r = pick(rng, pool)?;
            if want(&self.cat.roles[r as usize]) && self.can_hold(h, r) {
                return Some(r);
            }
        }
        None
    }

    fn role_grant(&self, h: &mut Holding, r: u32, granted: i64) -> Grant {
        let role = &self.cat.roles[r as usize];
        h.roles.push(r);
        h.mask |= role.sod;
        let mut g = Grant::new(granted);
        g.role = Some(role.id.clone());
        g.limit = role.max_grant_days;
        g
    }

    /// Dates of a temporary grant limited to `limit` days, active or expired-and-revoked.
    fn temporary(rng: &mut Rng, g: &mut Grant, asof: i64, limit: u32, active: bool) {
        let choices: Vec<i64> = [7, 14, 30, 60, 90]
            .into_iter()
            .filter(|&d| d <= i64::from(limit))
            .collect();
        let dur = pick(rng, &choices)
            .copied()
            .unwrap_or(i64::from(limit.max(1)));
        if active {
            g.granted = asof - rng.i64(0..dur);
            g.expires = Some(g.granted + dur);
        } else {
            let exp = asof - rng.i64(1..=400);
            g.granted = exp - dur;
            g.expires = Some(exp);
            g.revoked = Some(exp - rng.i64(0..=dur / 2));
        }
    }

    fn direct_grant(
        &self,
        rng: &mut Rng,
        h: &mut Holding,
        d: usize,
        asof: i64,
        approver: &str,
    ) -> Option<Grant> {
        let cat = self.cat;
        for _ in 0..8 {
            let &a = pick(rng, &cat.home_apps[d])?;
            let app = &cat.apps[a as usize];
            let class = if chance(rng, 0.3) {
                Class::Pv
            } else {
                Class::Rw
            };
            let Some(&p) = pick(rng, &app.buckets[class as usize]) else {
                continue;
            };
            let perm = &app.perms[p as usize];
            if h.perms.contains(&(a, p)) || sod_conflict(h.mask | perm.sod) {
                continue;
            }
            h.perms.push((a, p));
            h.mask |= perm.sod;
            let mut g = Grant::new(asof);
            g.permission = Some(format!("{}:{}", app.id, perm.id));
            let active = chance(rng, 0.5);
            Self::temporary(rng, &mut g, asof, 90, active);
            g.justification = pick(rng, &JUSTIFICATIONS).copied();
            g.approved_by = Some(approver.to_string());
            g.ticket = Some(rng.u32(1000..100_000));
            if chance(rng, P_DIRECT_NO_JUSTIFICATION) {
                if rng.bool() {
                    g.justification = None;
                } else {
                    g.expires = None;
                    g.revoked = None;
                    g.granted = asof - rng.i64(10..400);
                }
            }
            return Some(g);
        }
        None
    }

    /// Plants per-grant defects.
    fn grant_defects(&self, rng: &mut Rng, g: &mut Grant, self_id: &str, asof: i64) {
        let r = rng.f64();
        if r < P_GRANT_NO_APPROVAL {
            g.approved_by = None;
            g.via = None;
        } else if r < P_GRANT_NO_APPROVAL + P_GRANT_SELF_APPROVAL {
            g.approved_by = Some(self_id.to_string());
            g.via = None;
        }
        if chance(rng, P_TYPO_REF) {
            if let Some(role) = &g.role {
                g.role = Some(typo(rng, role));
                g.via = None;
            } else if let Some(p) = &g.permission {
                g.permission = Some(typo_ref(rng, p));
            }
        }
        let limit = g.limit.unwrap_or(90);
        let r = rng.f64();
        if r < P_GRANT_EXPIRED_UNREVOKED {
            let dur = i64::from(limit.min(30));
            let exp = asof - rng.i64(1..=200);
            g.granted = exp - dur;
            g.expires = Some(exp);
            g.revoked = None;
        } else if r < P_GRANT_EXPIRED_UNREVOKED + P_GRANT_EXCESSIVE && g.revoked.is_none() {
            let dur = i64::from(limit) + rng.i64(1..=120);
            g.granted = asof - rng.i64(0..dur.min(60));
            g.expires = Some(g.granted + dur);
        } else if g.limit.is_some() && g.revoked.is_none() && chance(rng, P_GRANT_MISSING_EXPIRY) {
            g.expires = None;
        }
    }

    fn human(&self, h: u32) -> (Ident, Option<Ident>) {
        let pop = self.pop;
        let cat = self.cat;
        let mut rng = rng_for(self.seed, 10, u64::from(h));
        let d = pop.human_dept[h as usize] as usize;
        let dname = pop.depts[d];
        let id = human_id(pop, h);
        let status = pop.human_status[h as usize];
        let terminated_on = (status == Status::Terminated).then(|| self.now - rng.i64(1..=400));
        let asof = terminated_on.unwrap_or(self.now);
        let hire = asof - rng.i64(20..3000);
        let is_head = head(pop, d) == Some(h);
        let manager = if is_head {
            None
        } else {
            let m = pick(&mut rng, &pop.managers_by_dept[d])
                .copied()
                .filter(|&m| m != h)
                .or_else(|| head(pop, d));
            m.filter(|&m| m != h).map(|m| {
                let mid = human_id(pop, m);
                if chance(&mut rng, P_MANAGER_TYPO) {
                    typo(&mut rng, &mid)
                } else {
                    mid
                }
            })
        };
        let approver = match &manager {
            Some(m) => m.clone(),
            None => team_ref(pop, d),
        };
        let contractor = chance(&mut rng, 0.15);
        let mut labels = Vec::new();
        if contractor || chance(&mut rng, 0.3) {
            labels.push((
                "employment",
                if contractor { "contractor" } else { "employee" },
            ));
            labels.push(("location", *pick(&mut rng, &LOCATIONS).unwrap_or(&"remote")));
        }
        let mut hold = Holding {
            roles: Vec::new(),
            perms: Vec::new(),
            mask: 0,
        };
        let mut grants: Vec<Grant> = Vec::new();
        // birthright through the joiner playbook
        let joiner = joiner_id(dname);
        for r in [cat.baseline, cat.birthright[d]].into_iter().flatten() {
            let mut g = self.role_grant(&mut hold, r, hire);
            g.via = Some(if chance(&mut rng, P_VIA_TYPO) {
                typo(&mut rng, &joiner)
            } else {
                joiner.clone()
            });
            grants.push(g);
        }
        // the person's job profile: the roles most of their peers hold too
        let profiles = &cat.profiles[d];
        let mut x = rng.u32(0..PROFILE_WEIGHTS.iter().sum::<u32>());
        let prof = PROFILE_WEIGHTS
            .iter()
            .position(|&w| {
                let hit = x < w;
                x = x.saturating_sub(w);
                hit
            })
            .unwrap_or(0);
        let mut routine: Vec<u32> = profiles.get(prof).cloned().unwrap_or_default();
        if contractor {
            routine.extend(cat.shared_roles.get(1));
        } else if chance(&mut rng, 0.3) {
            routine.extend(cat.shared_roles.get(2));
        }
        if chance(&mut rng, P_LONG_TAIL) {
            // a long-tail role of the department
            let tail = |r: &Role| r.routine();
            routine.extend(self.find_role(&mut rng, &hold, &cat.roles_by_dept[d], tail));
        }
        for r in routine {
            if !self.can_hold(&hold, r) {
                continue;
            }
            let mut g = self.role_grant(&mut hold, r, hire + rng.i64(0..=(asof - hire)));
            g.approved_by = Some(approver.clone());
            g.ticket = Some(rng.u32(1000..100_000));
            self.grant_defects(&mut rng, &mut g, &id, asof);
            grants.push(g);
        }
        // temporary elevation, mostly to the role the request playbook hands out
        if chance(&mut rng, P_ELEVATION) {
            let requested =
                cat.request_role[d].filter(|&r| rng.u8(0..10) < 7 && self.can_hold(&hold, r));
            let elevated = requested.or_else(|| {
                let want = |r: &Role| r.is_priv() && !r.cycle && !r.empty;
                self.find_role(&mut rng, &hold, &cat.roles_by_dept[d], want)
            });
            if let Some(r) = elevated {
                let mut g = self.role_grant(&mut hold, r, asof);
                let limit = g.limit.unwrap_or(90);
                let active = chance(&mut rng, 0.55);
                Self::temporary(&mut rng, &mut g, asof, limit, active);
                let owner = cat.roles[r as usize]
                    .owner
                    .as_deref()
                    .filter(|o| !o.starts_with("team:") && *o != id);
                g.approved_by = Some(owner.unwrap_or(&approver).to_string());
                g.ticket = Some(rng.u32(1000..100_000));
                if cat.request_role[d] == Some(r) && rng.bool() {
                    g.via = Some(request_id(dname));
                }
                if g.revoked.is_none()
                    && g.limit.is_none()
                    && chance(&mut rng, P_STANDING_PRIV * 12.0)
                {
                    g.expires = None; // privilege/standing-privileged-access
                }
                self.grant_defects(&mut rng, &mut g, &id, asof);
                grants.push(g);
            }
        }
        // a direct ("exception") grant
        if chance(&mut rng, P_DIRECT_GRANT)
            && let Some(mut g) = self.direct_grant(&mut rng, &mut hold, d, asof, &approver)
        {
            self.grant_defects(&mut rng, &mut g, &id, asof);
            grants.push(g);
        }
        let nd = pop.depts.len();
        // a mover: the old department's role, properly revoked
        if nd > 1 && chance(&mut rng, 0.08) {
            let other = (d + 1 + rng.usize(0..nd - 1)) % nd;
            if let Some(r) = pick(&mut rng, &cat.roles_by_dept[other]).copied() {
                let mut g = Grant::new(hire + rng.i64(0..=(asof - hire) / 2));
                g.role = Some(cat.roles[r as usize].id.clone());
                g.approved_by = Some(approver.clone());
                g.revoked = Some(g.granted + rng.i64(30..=(asof - g.granted).max(31)));
                g.revoked = g.revoked.map(|x| x.min(asof));
                grants.push(g);
            }
        }
        // privilege/department-mismatch: a role of another department left behind
        if nd > 1 && chance(&mut rng, P_DEPT_MISMATCH) {
            let other = (d + 1 + rng.usize(0..nd - 1)) % nd;
            if let Some(r) =
                self.find_role(&mut rng, &hold, &cat.roles_by_dept[other], Role::routine)
            {
                let mut g = self.role_grant(&mut hold, r, hire + rng.i64(0..=(asof - hire)));
                g.approved_by = Some(approver.clone());
                g.ticket = Some(rng.u32(1000..100_000));
                grants.push(g);
            }
        }
        self.common_defects(&mut rng, &mut hold, &mut grants, d, asof, &approver);
        if status == Status::Terminated {
            self.revoke_all(&mut rng, &mut grants, asof);
        }
        let mut suppress = Vec::new();
        if grants.iter().any(|g| g.permission.is_some()) && chance(&mut rng, 0.06) {
            let expired = chance(&mut rng, 0.2);
            suppress.push(Suppress {
                rule: "privilege/peer-outlier",
                reason: "Cross-team cover approved by the department head",
                until: if expired {
                    self.now - rng.i64(1..=90)
                } else {
                    self.now + rng.i64(14..=180)
                },
                approved_by: head(pop, d).filter(|&x| x != h).map(|x| human_id(pop, x)),
                ticket: None,
            });
        }
        let ident = Ident {
            id,
            name: human_name(pop, h),
            ty: "human",
            status,
            terminated_on,
            dept: dname,
            manager,
            owner: None,
            labels,
            creds: Vec::new(),
            grants,
            suppress,
        };
        // graph/duplicate-id: a stale file left in the previous department's folder
        let dup = (nd > 1 && chance(&mut rng, P_DUP_IDENTITY)).then(|| {
            let other = (d + 1 + rng.usize(0..nd - 1)) % nd;
            let mut old = ident.clone();
            old.dept = pop.depts[other];
            old.manager = None;
            old.grants.truncate(1);
            old.suppress.clear();
            old
        });
        (ident, dup)
    }

    /// Redundant grants and SoD conflicts, shared by every identity type.
    fn common_defects(
        &self,
        rng: &mut Rng,
        hold: &mut Holding,
        grants: &mut Vec<Grant>,
        d: usize,
        asof: i64,
        approver: &str,
    ) {
        let cat = self.cat;
        // overlap/redundant-grant: an inherited role granted again
        if chance(rng, P_REDUNDANT) {
            let held: Vec<u32> = hold
                .roles
                .iter()
                .copied()
                .filter(|&r| !cat.roles[r as usize].ancestors.is_empty())
                .collect();
            if let Some(&r) = pick(rng, &held)
                && let Some(&anc) = pick(rng, &cat.roles[r as usize].ancestors)
            {
                let mut g = self.role_grant(hold, anc, asof - rng.i64(1..=365));
                g.approved_by = Some(approver.to_string());
                if let Some(limit) = g.limit {
                    Self::temporary(rng, &mut g, asof, limit, true);
                }
                grants.push(g);
            }
        }
        // sod/identity-conflict: a role or permission on the other side of a held one
        if chance(rng, P_SOD_CONFLICT) && !cat.sod.is_empty() {
            let rule = rng.usize(0..cat.sod.len());
            let (a_bit, b_bit) = (1u128 << (3 * rule), 1u128 << (3 * rule + 1));
            let role_with = |bit: u128| {
                cat.roles_by_dept[d].iter().copied().find(|&r| {
                    let ro = &cat.roles[r as usize];
                    ro.sod & bit != 0 && !ro.cycle && !ro.empty
                })
            };
            let candidates = [(a_bit, role_with(a_bit)), (b_bit, role_with(b_bit))];
            for (bit, role) in candidates {
                if hold.mask & bit != 0 {
                    continue;
                }
                let mut g = if let Some(r) = role.filter(|r| !hold.roles.contains(r)) {
                    self.role_grant(hold, r, asof - rng.i64(1..=200))
                } else {
                    let Some((a, p)) = cat.apps.iter().enumerate().find_map(|(a, app)| {
                        app.perms.iter().position(|p| p.sod == bit).map(|p| (a, p))
                    }) else {
                        continue;
                    };
                    let mut g = Grant::new(asof - rng.i64(1..=30));
                    g.permission = Some(format!("{}:{}", cat.apps[a].id, cat.apps[a].perms[p].id));
                    g.expires = Some(g.granted + 30);
                    g.justification = Some("Month-end cover");
                    hold.mask |= bit;
                    g
                };
                if let Some(limit) = g.limit {
                    Self::temporary(rng, &mut g, asof, limit, true);
                }
                g.approved_by = Some(approver.to_string());
                g.ticket = Some(rng.u32(1000..100_000));
                grants.push(g);
            }
        }
    }

    /// A terminated identity: everything revoked on the last day, except (sometimes) one grant.
    fn revoke_all(&self, rng: &mut Rng, grants: &mut [Grant], asof: i64) {
        let keep = if chance(rng, P_TERMINATED_KEEPS_ACCESS) {
            grants
                .iter()
                .position(|g| g.revoked.is_none() && g.expires.is_none())
        } else {
            None
        };
        for (i, g) in grants.iter_mut().enumerate() {
            if Some(i) == keep || g.revoked.is_some() {
                continue;
            }
            g.revoked = Some(match g.expires {
                Some(e) if e < asof => e,
                _ => asof,
            });
            g.revoked = g.revoked.map(|r| r.max(g.granted));
        }
    }

    fn non_human(&self, i: u32) -> (Ident, bool) {
        let pop = self.pop;
        let cat = self.cat;
        let n = &pop.nh[i as usize];
        let mut rng = rng_for(self.seed, 11, u64::from(i));
        let d = n.dept as usize;
        let dname = pop.depts[d];
        let id = nh_id(pop, &cat.apps, n);
        let terminated_on = (n.status == Status::Terminated).then(|| self.now - rng.i64(1..=400));
        let asof = terminated_on.unwrap_or(self.now);
        let created = asof - rng.i64(60..2500);
        let human_share = if n.kind == NhKind::Agent { 0.6 } else { 0.3 };
        let mut owner = pick_owner(&mut rng, pop, &cat.apps, d, human_share);
        if owner.as_deref() == Some(id.as_str()) {
            owner = Some(team_ref(pop, d));
        }
        let approver = match &owner {
            Some(o) if !o.starts_with("svc-") => o.clone(),
            _ => team_ref(pop, d),
        };
        let (name, ty) = match n.kind {
            NhKind::Service => (
                format!(
                    "{} {} job",
                    title(&cat.apps[n.app as usize].id),
                    SERVICE_PURPOSES[n.purpose as usize]
                ),
                "service",
            ),
            NhKind::Agent => (
                format!(
                    "{} {} agent",
                    dept_title(dname),
                    AGENT_PURPOSES[n.purpose as usize]
                ),
                "agent",
            ),
        };
        // credentials
        let mut creds = Vec::new();
        for c in 0..rng.usize(1..=2) {
            let kinds: &[(&str, &str)] = match n.kind {
                NhKind::Agent => &[("oauth-client", "oauth_token"), ("api-key", "api_key")],
                NhKind::Service => &[
                    ("api-key", "api_key"),
                    ("oauth-client", "oauth_token"),
                    ("mtls-cert", "certificate"),
                    ("deploy-key", "ssh_key"),
                    ("db-password", "password"),
                ],
            };
            let (cid, cty) = if c == 0 {
                *pick(&mut rng, kinds).unwrap_or(&("api-key", "api_key"))
            } else {
                // a second credential of another kind
                let first = creds.first().map_or("", |x: &Cred| x.id);
                *kinds
                    .iter()
                    .find(|k| k.0 != first)
                    .unwrap_or(&("api-key-2", "api_key"))
            };
            let cred_created = created + rng.i64(0..30);
            let mut cred = if cty == "certificate" {
                let issued = self.now - rng.i64(0..85);
                Cred {
                    id: cid,
                    ty: cty,
                    created: issued,
                    last_rotated: None,
                    expires: Some(issued + 365),
                }
            } else {
                let rotated = self.now - rng.i64(0..85);
                Cred {
                    id: cid,
                    ty: cty,
                    created: cred_created.min(rotated),
                    last_rotated: Some(rotated),
                    expires: (cty == "api_key" && rng.bool()).then(|| rotated + rng.i64(180..=365)),
                }
            };
            if chance(&mut rng, P_STALE_CREDENTIAL) {
                if chance(&mut rng, 0.25) {
                    cred.expires = Some(self.now - rng.i64(1..=60));
                } else {
                    let rotated = self.now - rng.i64(91..=900);
                    cred.created = cred.created.min(rotated - rng.i64(0..=365));
                    cred.last_rotated = if cred.ty == "certificate" {
                        None
                    } else {
                        Some(rotated)
                    };
                    if cred.ty == "certificate" {
                        cred.created = rotated;
                        cred.expires = Some(self.now + rng.i64(30..=200));
                    }
                }
            }
            creds.push(cred);
        }
        // grants
        let mut hold = Holding {
            roles: Vec::new(),
            perms: Vec::new(),
            mask: 0,
        };
        let mut grants = Vec::new();
        let target = rng.usize(2..=5);
        let mut tries = 0;
        while grants.len() < target && tries < 12 {
            tries += 1;
            let roll = rng.f64();
            let mut g = if roll < 0.8 {
                let Some(r) = self.find_role(&mut rng, &hold, &cat.roles_by_dept[d], Role::routine)
                else {
                    continue;
                };
                let mut g = self.role_grant(&mut hold, r, created + rng.i64(0..=(asof - created)));
                g.approved_by = Some(approver.clone());
                g.ticket = Some(rng.u32(1000..100_000));
                g
            } else if roll < 0.88 {
                let Some(r) = self.find_role(&mut rng, &hold, &cat.shared_roles, Role::routine)
                else {
                    continue;
                };
                let mut g = self.role_grant(&mut hold, r, created + rng.i64(0..=(asof - created)));
                g.approved_by = Some(approver.clone());
                g
            } else {
                match self.direct_grant(&mut rng, &mut hold, d, asof, &approver) {
                    Some(g) => g,
                    None => continue,
                }
            };
            self.grant_defects(&mut rng, &mut g, &id, asof);
            grants.push(g);
        }
        // privilege/non-human-privileged
        if chance(&mut rng, P_NON_HUMAN_PRIV)
            && let Some(r) = self.find_role(&mut rng, &hold, &cat.roles_by_dept[d], |r| {
                r.is_priv() && !r.cycle
            })
        {
            let mut g = self.role_grant(&mut hold, r, asof);
            let limit = g.limit.unwrap_or(90);
            Self::temporary(&mut rng, &mut g, asof, limit, true);
            g.approved_by = Some(approver.clone());
            g.ticket = Some(rng.u32(1000..100_000));
            grants.push(g);
        }
        self.common_defects(&mut rng, &mut hold, &mut grants, d, asof, &approver);
        if n.status == Status::Terminated {
            self.revoke_all(&mut rng, &mut grants, asof);
        }
        let labels = match n.kind {
            NhKind::Agent => vec![("runtime", "llm-agent")],
            NhKind::Service if chance(&mut rng, 0.3) => vec![(
                "environment",
                if rng.bool() { "production" } else { "staging" },
            )],
            NhKind::Service => Vec::new(),
        };
        let ident = Ident {
            id,
            name,
            ty,
            status: n.status,
            terminated_on,
            dept: dname,
            manager: None,
            owner,
            labels,
            creds,
            grants,
            suppress: Vec::new(),
        };
        (ident, chance(&mut rng, P_DUP_IDENTITY))
    }
}

// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------

#[derive(Default, Clone, Copy)]
struct Stats {
    files: u64,
    docs: u64,
    bytes: u64,
}

impl Stats {
    fn add(&mut self, o: Stats) {
        self.files += o.files;
        self.docs += o.docs;
        self.bytes += o.bytes;
    }
}

fn begin_doc(buf: &mut String, st: &mut Stats, kind: &str, id: &str) {
    if !buf.is_empty() {
        buf.push_str("---\n");
    }
    let _ = write!(buf, "apiVersion: rolelint/v1\nkind: {kind}\nid: {id}\n");
    st.docs += 1;
}

/// Writes a rendered file in one buffered write.
fn write_file(path: &Path, data: &str, st: &mut Stats) -> io::Result<()> {
    let mut w =
        io::BufWriter::with_capacity(data.len().clamp(4096, 1 << 20), fs::File::create(path)?);
    w.write_all(data.as_bytes())?;
    w.flush()?;
    st.files += 1;
    st.bytes += data.len() as u64;
    Ok(())
}

fn render_suppress(buf: &mut String, sup: &[Suppress], indent: &str) {
    if sup.is_empty() {
        return;
    }
    let _ = writeln!(buf, "{indent}suppress:");
    for s in sup {
        let _ = writeln!(buf, "{indent}  - rule: {}", s.rule);
        let _ = writeln!(buf, "{indent}    reason: {}", s.reason);
        let _ = writeln!(buf, "{indent}    until: {}", Day(s.until));
        if let Some(a) = &s.approved_by {
            let _ = writeln!(buf, "{indent}    approved_by: {a}");
        }
        if let Some(t) = s.ticket {
            let _ = writeln!(buf, "{indent}    ticket: RISK-{t}");
        }
    }
}

fn render_labels(buf: &mut String, labels: &[(&str, &str)]) {
    if labels.is_empty() {
        return;
    }
    buf.push_str("labels:\n");
    for (k, v) in labels {
        let _ = writeln!(buf, "  {k}: {v}");
    }
}

fn render_app(buf: &mut String, st: &mut Stats, app: &App) {
    begin_doc(buf, st, "Application", &app.id);
    let _ = writeln!(buf, "name: {}", title(&app.id));
    if let Some(o) = &app.owner {
        let _ = writeln!(buf, "owner: {o}");
    }
    if let Some(c) = app.criticality {
        let _ = writeln!(buf, "criticality: {c}");
    }
    if let Some(dc) = app.data_class {
        render_labels(buf, &[("data-class", dc)]);
    }
    buf.push_str("permissions:\n");
    for p in &app.perms {
        let _ = writeln!(buf, "  - id: {}", p.id);
        if let Some(d) = &p.description {
            let _ = writeln!(buf, "    description: {d}");
        }
        if p.privileged {
            buf.push_str("    privileged: true\n");
        }
    }
}

fn render_role(buf: &mut String, st: &mut Stats, role: &Role, dept: Option<&str>) {
    begin_doc(buf, st, "Role", &role.id);
    let _ = writeln!(buf, "name: {}", role.name);
    if let Some(d) = &role.description {
        let _ = writeln!(buf, "description: {d}");
    }
    if let Some(o) = &role.owner {
        let _ = writeln!(buf, "owner: {o}");
    }
    if let Some(d) = dept {
        let _ = writeln!(buf, "department: {d}");
    }
    if !role.inherits_text.is_empty() {
        let _ = writeln!(buf, "inherits: [{}]", role.inherits_text.join(", "));
    }
    if role.perms_text.is_empty() {
        buf.push_str("permissions: []\n");
    } else {
        buf.push_str("permissions:\n");
        for p in &role.perms_text {
            let _ = writeln!(buf, "  - {p}");
        }
    }
    if role.privileged {
        buf.push_str("privileged: true\n");
    }
    if role.requires_mfa {
        buf.push_str("requires_mfa: true\n");
    }
    if let Some(m) = role.max_grant_days {
        let _ = writeln!(buf, "max_grant_days: {m}");
    }
    if let Some(r) = &role.review {
        buf.push_str("review:\n");
        if let Some(e) = r.every_days {
            let _ = writeln!(buf, "  every_days: {e}");
        }
        let _ = writeln!(buf, "  last_reviewed: {}", Day(r.last_reviewed));
        let _ = writeln!(buf, "  reviewer: {}", r.reviewer);
    }
    render_suppress(buf, &role.suppress, "");
}

fn render_identity(buf: &mut String, st: &mut Stats, id: &Ident) {
    begin_doc(buf, st, "Identity", &id.id);
    let _ = writeln!(buf, "name: {}", id.name);
    let _ = writeln!(buf, "type: {}", id.ty);
    let _ = writeln!(buf, "status: {}", id.status.as_str());
    if let Some(t) = id.terminated_on {
        let _ = writeln!(buf, "terminated_on: {}", Day(t));
    }
    let _ = writeln!(buf, "department: {}", id.dept);
    if let Some(m) = &id.manager {
        let _ = writeln!(buf, "manager: {m}");
    }
    if let Some(o) = &id.owner {
        let _ = writeln!(buf, "owner: {o}");
    }
    render_labels(buf, &id.labels);
    if !id.creds.is_empty() {
        buf.push_str("credentials:\n");
        for c in &id.creds {
            let _ = writeln!(
                buf,
                "  - id: {}\n    type: {}\n    created: {}",
                c.id,
                c.ty,
                Day(c.created)
            );
            if let Some(r) = c.last_rotated {
                let _ = writeln!(buf, "    last_rotated: {}", Day(r));
            }
            if let Some(e) = c.expires {
                let _ = writeln!(buf, "    expires: {}", Day(e));
            }
        }
    }
    if !id.grants.is_empty() {
        buf.push_str("grants:\n");
        for g in &id.grants {
            match (&g.role, &g.permission) {
                (Some(r), _) => {
                    let _ = writeln!(buf, "  - role: {r}");
                }
                (None, Some(p)) => {
                    let _ = writeln!(buf, "  - permission: {p}");
                }
                (None, None) => continue,
            }
            let _ = writeln!(buf, "    granted: {}", Day(g.granted));
            if let Some(e) = g.expires {
                let _ = writeln!(buf, "    expires: {}", Day(e));
            }
            if let Some(r) = g.revoked {
                let _ = writeln!(buf, "    revoked: {}", Day(r));
            }
            if let Some(a) = &g.approved_by {
                let _ = writeln!(buf, "    approved_by: {a}");
            }
            if let Some(t) = g.ticket {
                let _ = writeln!(buf, "    ticket: ACCESS-{t}");
            }
            if let Some(v) = &g.via {
                let _ = writeln!(buf, "    via: {v}");
            }
            if let Some(j) = g.justification {
                let _ = writeln!(buf, "    justification: {j}");
            }
        }
    }
    render_suppress(buf, &id.suppress, "");
}

fn render_teams(buf: &mut String, st: &mut Stats, seed: u64, pop: &Pop) {
    let mut rng = rng_for(seed, 7, 0);
    for (d, dname) in pop.depts.iter().enumerate() {
        begin_doc(buf, st, "Team", dname);
        let _ = writeln!(buf, "name: {}", dept_title(dname));
        if let Some(h) = head(pop, d) {
            let _ = writeln!(buf, "owner: {}", human_id(pop, h));
        }
        // the department's managers first, then other active people
        let pool = &pop.active_by_dept[d];
        let n = rng.usize(3..=6).min(pool.len());
        let mut members: Vec<String> = pop.managers_by_dept[d]
            .iter()
            .take(n)
            .map(|&m| human_id(pop, m))
            .collect();
        for _ in 0..4 * n {
            if members.len() >= n {
                break;
            }
            if let Some(&m) = pick(&mut rng, pool) {
                let mid = human_id(pop, m);
                if !members.contains(&mid) {
                    members.push(mid);
                }
            }
        }
        if d == 1
            && let Some(m) = members.last()
        {
            let t = typo(&mut rng, m); // graph/unknown-reference
            members.push(t);
        }
        let _ = writeln!(buf, "members: [{}]", members.join(", "));
    }
    // a team nobody active is left in: ownership/orphaned-owner for what it owns
    begin_doc(buf, st, "Team", LEGACY_TEAM);
    buf.push_str("name: Legacy platform\n");
    if let Some(&t) = pop.terminated.first() {
        let _ = writeln!(buf, "owner: {}", human_id(pop, t));
    }
    let members: Vec<String> = pop
        .terminated
        .iter()
        .take(3)
        .map(|&t| human_id(pop, t))
        .collect();
    let _ = writeln!(buf, "members: [{}]", members.join(", "));
    // a team without an owner: ownership/missing-owner
    begin_doc(buf, st, "Team", GUILD_TEAM);
    buf.push_str("name: Architecture guild\n");
    let members: Vec<String> = pop
        .active_by_dept
        .iter()
        .filter_map(|a| a.get(1).or(a.first()).map(|&m| human_id(pop, m)))
        .take(5)
        .collect();
    let _ = writeln!(buf, "members: [{}]", members.join(", "));
}

struct Step<'a> {
    id: &'a str,
    action: &'a str,
    approvers: &'a str,
    role: Option<String>,
    expires_after_days: Option<u32>,
    after: Option<&'a str>,
    description: Option<&'a str>,
}

fn step<'a>(id: &'a str, action: &'a str) -> Step<'a> {
    Step {
        id,
        action,
        approvers: "",
        role: None,
        expires_after_days: None,
        after: None,
        description: None,
    }
}

/// Workflow defects, each planted in one department's playbook.
#[derive(Clone, Copy, PartialEq, Eq)]
enum WfDefect {
    RequestNoApprove,
    RequestNoMfa,
    RequestRequesterApproves,
    RequestUnbounded,
    LeaverIncomplete,
    MoverNoRevoke,
    PrivilegedBirthright,
    StepCycle,
    UnknownStep,
    MissingOwner,
}

const WF_DEFECTS: [WfDefect; 10] = [
    WfDefect::RequestNoApprove,
    WfDefect::RequestNoMfa,
    WfDefect::RequestRequesterApproves,
    WfDefect::RequestUnbounded,
    WfDefect::LeaverIncomplete,
    WfDefect::MoverNoRevoke,
    WfDefect::PrivilegedBirthright,
    WfDefect::StepCycle,
    WfDefect::UnknownStep,
    WfDefect::MissingOwner,
];

fn render_playbooks(buf: &mut String, st: &mut Stats, pop: &Pop, cat: &Catalog) {
    let nd = pop.depts.len();
    let has = |d: usize, w: WfDefect| {
        WF_DEFECTS
            .iter()
            .enumerate()
            .any(|(i, x)| *x == w && (i * 5 + 1) % nd == d)
    };
    let role_id = |r: Option<u32>| r.map(|r| cat.roles[r as usize].id.clone());
    for (d, &dname) in pop.depts.iter().enumerate() {
        let team = team_ref(pop, d);
        let baseline = role_id(cat.baseline);
        let birthright = role_id(cat.birthright[d]);
        let request = cat.request_role[d];
        let write_pb = |buf: &mut String,
                        st: &mut Stats,
                        id: &str,
                        name: String,
                        trigger: &str,
                        owner: bool,
                        steps: &[Step]| {
            begin_doc(buf, st, "Playbook", id);
            let _ = writeln!(buf, "name: {name}");
            if owner {
                let _ = writeln!(buf, "owner: {team}");
            }
            let _ = writeln!(buf, "trigger: {trigger}");
            let _ = writeln!(
                buf,
                "applies_to:\n  types: [human]\n  departments: [{dname}]"
            );
            buf.push_str("steps:\n");
            for s in steps {
                let _ = writeln!(buf, "  - id: {}\n    action: {}", s.id, s.action);
                if let Some(d) = s.description {
                    let _ = writeln!(buf, "    description: {d}");
                }
                if !s.approvers.is_empty() {
                    let _ = writeln!(buf, "    approvers: [{}]", s.approvers);
                }
                if let Some(r) = &s.role {
                    let _ = writeln!(buf, "    role: {r}");
                }
                if let Some(e) = s.expires_after_days {
                    let _ = writeln!(buf, "    expires_after_days: {e}");
                }
                if let Some(a) = s.after {
                    let _ = writeln!(buf, "    after: [{a}]");
                }
            }
        };
        // joiner
        let mut steps = vec![Step {
            approvers: "manager",
            ..step("manager-approval", "approve")
        }];
        if let Some(b) = &baseline {
            steps.push(Step {
                role: Some(b.clone()),
                ..step("grant-baseline", "grant")
            });
        }
        if let Some(b) = &birthright {
            steps.push(Step {
                role: Some(b.clone()),
                ..step("grant-department", "grant")
            });
        }
        if has(d, WfDefect::PrivilegedBirthright)
            && let Some(r) = request
        {
            steps.push(step("mfa", "require_mfa"));
            steps.push(Step {
                role: role_id(Some(r)),
                ..step("grant-admin", "grant")
            });
        }
        steps.push(Step {
            description: Some("Welcome mail with the granted access"),
            ..step("notify-manager", "notify")
        });
        write_pb(
            buf,
            st,
            &joiner_id(dname),
            format!("{} joiner", dept_title(dname)),
            "joiner",
            true,
            &steps,
        );
        // mover
        let mut steps = vec![Step {
            approvers: "manager, role-owner",
            ..step("approval", "approve")
        }];
        if !has(d, WfDefect::MoverNoRevoke) {
            steps.push(step("revoke-previous", "revoke_all"));
        }
        if let Some(b) = &baseline {
            steps.push(Step {
                role: Some(b.clone()),
                ..step("grant-baseline", "grant")
            });
        }
        if let Some(b) = &birthright {
            steps.push(Step {
                role: Some(b.clone()),
                ..step("grant-department", "grant")
            });
        }
        steps.push(step("notify-manager", "notify"));
        let owner = !has(d, WfDefect::MissingOwner);
        write_pb(
            buf,
            st,
            &format!("jml-mover-{dname}"),
            format!("{} mover", dept_title(dname)),
            "mover",
            owner,
            &steps,
        );
        // leaver
        let mut steps = vec![
            step("disable", "disable_identity"),
            step("revoke-everything", "revoke_all"),
        ];
        if !has(d, WfDefect::LeaverIncomplete) {
            steps.push(step("transfer", "transfer_ownership"));
        }
        steps.push(step("rotate", "rotate_credentials"));
        let mut notify = step("notify-owners", "notify");
        if has(d, WfDefect::StepCycle) {
            if let Some(s) = steps.last_mut() {
                s.after = Some("notify-owners");
            }
            notify.after = Some("rotate");
        }
        if has(d, WfDefect::UnknownStep) {
            notify.after = Some("revoke-everthing");
        }
        steps.push(notify);
        write_pb(
            buf,
            st,
            &format!("jml-leaver-{dname}"),
            format!("{} leaver", dept_title(dname)),
            "leaver",
            true,
            &steps,
        );
        // request
        let mut steps = Vec::new();
        if let Some(r) = request {
            let limit = cat.roles[r as usize].max_grant_days.unwrap_or(30).min(30);
            if !has(d, WfDefect::RequestNoApprove) {
                let approvers = if has(d, WfDefect::RequestRequesterApproves) {
                    "manager, requester"
                } else {
                    "manager, role-owner"
                };
                steps.push(Step {
                    approvers,
                    ..step("approval", "approve")
                });
            }
            if !has(d, WfDefect::RequestNoMfa) {
                steps.push(step("mfa", "require_mfa"));
            }
            let expires = (!has(d, WfDefect::RequestUnbounded)).then_some(limit);
            steps.push(Step {
                role: role_id(Some(r)),
                expires_after_days: expires,
                ..step("grant-role", "grant")
            });
        }
        steps.push(Step {
            description: Some("Tell the role owner what was granted"),
            ..step("tell-owner", "notify")
        });
        write_pb(
            buf,
            st,
            &request_id(dname),
            format!("Request {dname} access"),
            "request",
            true,
            &steps,
        );
    }
    // credential rotation for non-human identities
    begin_doc(buf, st, "Playbook", "credential-rotation");
    let _ = writeln!(
        buf,
        "name: Quarterly credential rotation\nowner: {}",
        team_ref(pop, pop.security_dept)
    );
    buf.push_str("trigger: schedule\napplies_to:\n  types: [service, agent]\nsteps:\n");
    buf.push_str("  - id: rotate\n    action: rotate_credentials\n");
    buf.push_str("  - id: notify-owner\n    action: notify\n");
}

fn render_sod(buf: &mut String, st: &mut Stats, sod: &[Sod]) {
    for r in sod {
        begin_doc(buf, st, "SodRule", &r.id);
        let _ = writeln!(buf, "description: {}", r.description);
        if let Some(o) = &r.owner {
            let _ = writeln!(buf, "owner: {o}");
        }
        buf.push_str("sides:\n");
        for side in &r.sides {
            let _ = writeln!(buf, "  - [{}]", side.join(", "));
        }
    }
}

/// A unit of parallel identity work.
enum Unit {
    Humans(u32, u32),
    /// (department, chunk number, indices into `Pop::nh`)
    NonHumans(usize, usize, Vec<u32>),
}

fn write_identities(g: &Gen, idir: &Path, threads: usize) -> io::Result<Stats> {
    let pop = g.pop;
    let mut units = Vec::new();
    let humans = pop.human_dept.len() as u32;
    let mut s = 0;
    while s < humans {
        let e = (s + 512).min(humans);
        units.push(Unit::Humans(s, e));
        s = e;
    }
    for (d, list) in pop.nh_by_dept.iter().enumerate() {
        for (c, chunk) in list.chunks(100).enumerate() {
            units.push(Unit::NonHumans(d, c + 1, chunk.to_vec()));
        }
    }
    let dept_dirs: Vec<PathBuf> = pop.depts.iter().map(|d| idir.join(d)).collect();
    let svc_dirs: Vec<PathBuf> = pop
        .depts
        .iter()
        .map(|d| idir.join("services").join(d))
        .collect();
    let next = AtomicUsize::new(0);
    let work = || -> io::Result<Stats> {
        let mut st = Stats::default();
        let mut buf = String::with_capacity(64 * 1024);
        let mut dup = String::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(unit) = units.get(i) else {
                return Ok(st);
            };
            match unit {
                Unit::Humans(s, e) => {
                    for h in *s..*e {
                        let (ident, stale) = g.human(h);
                        buf.clear();
                        render_identity(&mut buf, &mut st, &ident);
                        let d = pop.human_dept[h as usize] as usize;
                        write_file(
                            &dept_dirs[d].join(format!("{}.yaml", ident.id)),
                            &buf,
                            &mut st,
                        )?;
                        if let Some(old) = stale {
                            buf.clear();
                            render_identity(&mut buf, &mut st, &old);
                            let od = pop.depts.iter().position(|x| *x == old.dept).unwrap_or(d);
                            write_file(
                                &dept_dirs[od].join(format!("{}.yaml", old.id)),
                                &buf,
                                &mut st,
                            )?;
                        }
                    }
                }
                Unit::NonHumans(d, c, list) => {
                    buf.clear();
                    for &n in list {
                        let (ident, twice) = g.non_human(n);
                        render_identity(&mut buf, &mut st, &ident);
                        if twice {
                            // graph/duplicate-id: pasted twice during a merge
                            dup.clear();
                            render_identity(&mut dup, &mut st, &ident);
                            buf.push_str("---\n");
                            buf.push_str(&dup);
                        }
                    }
                    let name = format!("{}-{c:04}.yaml", pop.depts[*d]);
                    write_file(&svc_dirs[*d].join(name), &buf, &mut st)?;
                }
            }
        }
    };
    let mut total = Stats::default();
    std::thread::scope(|scope| -> io::Result<()> {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        let mut first_err = None;
        for h in handles {
            match h.join() {
                Ok(Ok(st)) => total.add(st),
                Ok(Err(e)) => {
                    first_err.get_or_insert(e);
                }
                Err(_) => {
                    first_err.get_or_insert(io::Error::other("a writer thread panicked"));
                }
            }
        }
        first_err.map_or(Ok(()), Err)
    })?;
    Ok(total)
}

// ---------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------

fn main() -> io::Result<()> {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(a)) => a,
        Ok(None) => {
            print!("{USAGE}");
            return Ok(());
        }
        Err(msg) => {
            eprintln!("generate: {msg}\n\n{USAGE}");
            std::process::exit(2);
        }
    };
    let started = Instant::now();
    let access = args.out.join("access");
    if access.exists() {
        let non_empty = fs::read_dir(&access)?.next().is_some();
        if non_empty && !args.force {
            eprintln!(
                "generate: {} exists and is not empty; pass --force to replace it",
                access.display()
            );
            std::process::exit(2);
        }
        fs::remove_dir_all(&access)?;
    }
    let n_apps = args.apps.unwrap_or((args.roles / 50).max(6));
    let mut pop = build_pop(args.seed, args.identities, args.roles);
    let cat = build_catalog(args.seed, &mut pop, args.roles, n_apps, args.now);
    let pop = pop;

    // directories
    for sub in ["applications", "roles"] {
        fs::create_dir_all(access.join(sub))?;
    }
    let idir = access.join("identities");
    for d in &pop.depts {
        fs::create_dir_all(idir.join(d))?;
    }
    for (d, list) in pop.depts.iter().zip(&pop.nh_by_dept) {
        if !list.is_empty() {
            fs::create_dir_all(idir.join("services").join(d))?;
        }
    }

    let mut st = Stats::default();
    let mut buf = String::with_capacity(1 << 20);
    write_file(
        &args.out.join("rolelint.yaml"),
        "# rolelint configuration (generated by examples/generate.rs)\npaths: [access]\n",
        &mut st,
    )?;
    for app in &cat.apps {
        buf.clear();
        render_app(&mut buf, &mut st, app);
        write_file(
            &access.join("applications").join(format!("{}.yaml", app.id)),
            &buf,
            &mut st,
        )?;
    }
    for (f, list) in cat.role_files.iter().enumerate() {
        buf.clear();
        for &r in list {
            let role = &cat.roles[r as usize];
            render_role(&mut buf, &mut st, role, role.dept.map(|d| pop.depts[d]));
        }
        for (df, role) in &cat.dup_roles {
            if *df == f {
                render_role(&mut buf, &mut st, role, role.dept.map(|d| pop.depts[d]));
            }
        }
        if buf.is_empty() {
            continue;
        }
        let name = pop.depts.get(f).copied().unwrap_or("shared");
        write_file(
            &access.join("roles").join(format!("{name}.yaml")),
            &buf,
            &mut st,
        )?;
    }
    buf.clear();
    render_teams(&mut buf, &mut st, args.seed, &pop);
    write_file(&access.join("teams.yaml"), &buf, &mut st)?;
    buf.clear();
    render_playbooks(&mut buf, &mut st, &pop, &cat);
    write_file(&access.join("playbooks.yaml"), &buf, &mut st)?;
    buf.clear();
    render_sod(&mut buf, &mut st, &cat.sod);
    write_file(&access.join("sod.yaml"), &buf, &mut st)?;

    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8)
    });
    let g = Gen {
        pop: &pop,
        cat: &cat,
        now: args.now,
        seed: args.seed,
    };
    st.add(write_identities(&g, &idir, threads)?);

    eprintln!(
        "generate: {} files, {} documents, {} bytes ({:.1} MiB) written to {} in {:.2}s \
         [{} identities, {} roles, {} applications, {} departments, seed {}, now {}]",
        st.files,
        st.docs,
        st.bytes,
        st.bytes as f64 / (1024.0 * 1024.0),
        args.out.display(),
        started.elapsed().as_secs_f64(),
        args.identities,
        cat.roles.len(),
        cat.apps.len(),
        pop.depts.len(),
        args.seed,
        Day(args.now),
    );
    Ok(())
}
