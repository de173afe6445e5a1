//! Loading a catalogue: discovery → read → split → parse with spans → decode.
//!
//! Files are read and parsed in parallel; the result is in the catalogue's
//! order (plain byte order of relative paths, then position in the file), so
//! everything downstream is deterministic whatever the thread count.

pub mod cache;
pub mod decode;
pub mod discover;
pub mod git;
pub mod stamp;
pub mod yaml;

use std::collections::hash_map::Entry;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{
    Application, CatalogueObject, Config, FileId, Id, Identity, Kind, Object, Playbook, Role,
    SodRule, Span, Team,
};
use decode::{Decoded, Decoder, Problem};
use discover::Found;
use stamp::Observed;
use yaml::{DocumentSlice, YamlLimits};

/// The code of findings about the files themselves.
pub const INVALID_DOCUMENT: &str = "schema/invalid-document";

/// Where file contents come from: the work tree (or, later, a Git revision).
pub trait FileSource: Send + Sync {
    /// Reads a file by its path relative to the root, at most `limit` bytes
    /// (a larger file is an error, so it is never held in memory whole).
    fn read(&self, path: &str, limit: u64) -> std::io::Result<Vec<u8>>;

    /// [`FileSource::read`], for a file whose size discovery saw
    /// (`expected_size`), which saves a stat where the source needs one.
    fn read_sized(
        &self,
        path: &str,
        limit: u64,
        expected_size: Option<u64>,
    ) -> std::io::Result<Vec<u8>> {
        let _ = expected_size;
        self.read(path, limit)
    }

    /// The directory the files are in, when they are files on disk whose
    /// stat data can key the cache (`None`: never cached).
    fn disk_root(&self) -> Option<&Path> {
        None
    }

    /// The Git blob id of a file's bytes, when the source knows it without
    /// reading them (files of a revision); [`ParsedBlobs`] is keyed by it.
    fn blob_id(&self, path: &str) -> Option<gix::ObjectId> {
        let _ = path;
        None
    }
}

/// Files of a directory on disk.
#[derive(Clone, Debug)]
pub struct WorkTree {
    pub root: PathBuf,
}

impl FileSource for WorkTree {
    fn read(&self, path: &str, limit: u64) -> std::io::Result<Vec<u8>> {
        self.read_sized(path, limit, None)
    }

    fn read_sized(
        &self,
        path: &str,
        limit: u64,
        expected_size: Option<u64>,
    ) -> std::io::Result<Vec<u8>> {
        let started = crate::timings::enabled().then(std::time::Instant::now);
        let too_large = || {
            std::io::Error::other(format!(
                "file is larger than the limit of {limit} bytes (the environment variable \
                 ROLELINT_MAX_FILE_BYTES raises it)"
            ))
        };
        let file = std::fs::File::open(self.root.join(path))?;
        // The size the file had when found (or has now) sizes the buffer, so
        // a file is read in one call (an empty buffer starts with small
        // probing reads); the limit still holds if it grows meanwhile.
        let expected = match expected_size {
            Some(size) => size,
            None => file.metadata().map_or(0, |metadata| metadata.len()),
        };
        if expected > limit {
            return Err(too_large());
        }
        let mut bytes =
            Vec::with_capacity(usize::try_from(expected).unwrap_or(0).saturating_add(1));
        file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > limit {
            return Err(too_large());
        }
        if let Some(started) = started {
            crate::timings::file_read(&bytes, started.elapsed());
        }
        Ok(bytes)
    }

    fn disk_root(&self) -> Option<&Path> {
        Some(&self.root)
    }
}

/// Files held in memory: tests, rule examples, and Git revisions.
#[derive(Clone, Debug, Default)]
pub struct MemoryTree {
    pub files: std::collections::BTreeMap<String, Vec<u8>>,
}

impl FileSource for MemoryTree {
    fn read(&self, path: &str, limit: u64) -> std::io::Result<Vec<u8>> {
        let bytes = self
            .files
            .get(path)
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, path.to_owned()))?;
        if bytes.len() as u64 > limit {
            return Err(std::io::Error::other(format!(
                "file is larger than the limit of {limit} bytes (the environment variable \
                 ROLELINT_MAX_FILE_BYTES raises it)"
            )));
        }
        Ok(bytes.clone())
    }
}

/// Loads a catalogue from files in memory (`path → text`), with an optional
/// `rolelint.yaml` text. Every `.yaml`/`.yml` file is read, in path order.
pub fn load_memory(
    files: &[(&str, &str)],
    config_text: Option<&str>,
    options: &LoadOptions,
) -> Result<Catalogue, LoadError> {
    let config = match config_text {
        Some(text) => parse_config(text, &options.rule_codes).map_err(|problems| {
            LoadError::ConfigInvalid {
                path: PathBuf::from(discover::CONFIG_FILE),
                text: text.to_owned(),
                problems,
            }
        })?,
        None => Config::default(),
    };
    let tree = MemoryTree {
        files: files
            .iter()
            .map(|(path, text)| ((*path).to_owned(), text.as_bytes().to_vec()))
            .collect(),
    };
    let found = tree
        .files
        .keys()
        .filter(|path| path.ends_with(".yaml") || path.ends_with(".yml"))
        .map(|path| Found::File {
            path: path.clone(),
            observed: None,
        })
        .collect();
    Ok(assemble(config, found, Box::new(tree), options))
}

/// The files of one load, by [`FileId`], and how to read them again for rendering.
pub struct SourceMap {
    paths: Vec<String>,
    source: Box<dyn FileSource>,
    limit: u64,
}

impl SourceMap {
    pub fn path(&self, file: FileId) -> &str {
        self.paths.get(file.0 as usize).map_or("", String::as_str)
    }

    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// The file's text, read again on demand: only files with findings are
    /// ever shown, so sources are not kept in memory during analysis.
    pub fn text(&self, file: FileId) -> Option<String> {
        let bytes = self.source.read(self.path(file), self.limit).ok()?;
        // Valid UTF-8 (every file that parsed) is taken as it is, uncopied.
        Some(
            String::from_utf8(bytes)
                .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned()),
        )
    }
}

/// Two objects of one kind with one id: the second is left out of the analysis.
#[derive(Clone, Debug)]
pub struct Duplicate {
    pub kind: Kind,
    pub id: Id,
    pub first: Span,
    pub second: Span,
}

/// Everything loaded: the valid objects, in catalogue order, and the
/// findings about files and documents that could not be used.
pub struct Catalogue {
    pub config: Config,
    pub sources: SourceMap,
    pub applications: Vec<Application>,
    pub roles: Vec<Role>,
    pub identities: Vec<Identity>,
    pub teams: Vec<Team>,
    pub playbooks: Vec<Playbook>,
    pub sod_rules: Vec<SodRule>,
    pub duplicates: Vec<Duplicate>,
    /// `schema/invalid-document` findings.
    pub findings: Vec<Diagnostic>,
    /// Objects left out because their documents have schema problems, so a
    /// reference to one can say why it does not resolve.
    pub invalid: std::collections::HashSet<(Kind, Id)>,
    /// The catalogue root on disk (`None` when loaded from memory): custom
    /// policy globs are relative to it.
    pub root: Option<PathBuf>,
    /// What the cache of parsed files did (`None`: not used).
    pub cache: Option<cache::CacheUsage>,
}

impl Catalogue {
    /// How many objects are analysed.
    pub fn object_count(&self) -> usize {
        self.applications.len()
            + self.roles.len()
            + self.identities.len()
            + self.teams.len()
            + self.playbooks.len()
            + self.sod_rules.len()
    }
}

/// Problems that stop rolelint from doing its job at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("path `{0}` does not exist")]
    PathNotFound(PathBuf),
    #[error("cannot read configuration `{path}`: {source}")]
    ConfigUnreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("configuration `{path}` is invalid")]
    ConfigInvalid {
        path: PathBuf,
        text: String,
        problems: Vec<Problem>,
    },
    #[error(transparent)]
    Discover(#[from] discover::DiscoverError),
}

/// How to load.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// The directory to start from (`PATH` of the command line).
    pub start: PathBuf,
    /// `--config`, if given.
    pub config: Option<PathBuf>,
    pub limits: YamlLimits,
    /// Rule codes that suppressions and severity overrides may name.
    pub rule_codes: Vec<&'static str>,
    /// The cache of parsed files (docs/cache.md); `None`: no cache.
    pub cache: Option<cache::CacheSettings>,
}

/// Loads the catalogue under `options.start` from the work tree.
pub fn load(options: &LoadOptions) -> Result<Catalogue, LoadError> {
    load_sharing(options, Sharing::Off)
}

/// [`load`], lending its parsed files to a later load or borrowing those of
/// an earlier one ([`ParsedBlobs`]).
pub fn load_sharing(options: &LoadOptions, sharing: Sharing<'_>) -> Result<Catalogue, LoadError> {
    let discovering = crate::timings::start(crate::timings::Phase::Discover);
    // An absolute start, so the upward search for rolelint.yaml can climb
    // out of a relative path such as `.`.
    let start = options
        .start
        .canonicalize()
        .map_err(|_| LoadError::PathNotFound(options.start.clone()))?;
    let start = if start.is_file() {
        start.parent().map(Path::to_path_buf).unwrap_or(start)
    } else {
        start
    };
    let root = discover::find_root(&start, options.config.as_deref());
    let config = match &root.config {
        Some(path) => read_config(path, &options.rule_codes)?,
        None => Config::default(),
    };
    // The previous cache (tens of megabytes on a large catalogue) is read
    // and checked while the walk runs.
    let (found, session) = rayon::join(
        || discover::discover(&root.dir, &config),
        || open_cache(options, &root.dir),
    );
    let found = found?;
    drop(discovering);
    let source = WorkTree {
        root: root.dir.clone(),
    };
    let mut catalogue = assemble_with(config, found, Box::new(source), options, session, sharing);
    catalogue.root = Some(root.dir);
    Ok(catalogue)
}

pub(crate) fn read_config(path: &Path, rule_codes: &[&str]) -> Result<Config, LoadError> {
    let unreadable = |source| LoadError::ConfigUnreadable {
        path: path.to_path_buf(),
        source,
    };
    let bytes = std::fs::read(path).map_err(unreadable)?;
    let text = String::from_utf8(bytes)
        .map_err(|error| unreadable(std::io::Error::new(std::io::ErrorKind::InvalidData, error)))?;
    parse_config(&text, rule_codes).map_err(|problems| LoadError::ConfigInvalid {
        path: path.to_path_buf(),
        text,
        problems,
    })
}

/// Parses the text of `rolelint.yaml`.
pub fn parse_config(text: &str, rule_codes: &[&str]) -> Result<Config, Vec<Problem>> {
    let slice = DocumentSlice {
        start: 0,
        end: text.len(),
        line: 1,
    };
    let mut decoder = Decoder::new(FileId(0), slice, rule_codes);
    if text.trim().is_empty() {
        return Ok(Config::default());
    }
    match yaml::parse_document(text, &YamlLimits::default()) {
        Ok(node) => match decode::decode_config(&mut decoder, &node) {
            Some(config) => Ok(config),
            None => Err(decoder.problems),
        },
        Err(error) => Err(vec![syntax_problem(FileId(0), &slice, &error)]),
    }
}

/// The cache session for files on disk under `root`, if `options` ask for
/// a cache.
fn open_cache(options: &LoadOptions, root: &Path) -> Option<cache::Session> {
    let settings = options.cache.as_ref()?;
    cache::Session::open(settings, root, &options.limits, &options.rule_codes)
}

/// Reads and parses every file in parallel, then merges in catalogue order.
pub fn assemble(
    config: Config,
    found: Vec<Found>,
    source: Box<dyn FileSource>,
    options: &LoadOptions,
) -> Catalogue {
    assemble_sharing(config, found, source, options, Sharing::Off)
}

/// [`assemble`], lending or borrowing parsed files ([`ParsedBlobs`]).
pub fn assemble_sharing(
    config: Config,
    found: Vec<Found>,
    source: Box<dyn FileSource>,
    options: &LoadOptions,
    sharing: Sharing<'_>,
) -> Catalogue {
    let session = source
        .disk_root()
        .and_then(|root| open_cache(options, root));
    assemble_with(config, found, source, options, session, sharing)
}

/// Parsed files one load lends the next. `diff` loads two revisions that
/// mostly hold the same files: a file of the second whose bytes are those of
/// a file of the first (the same Git blob id, which the second computes for
/// files of the work tree) takes the first's result, with its own file id,
/// instead of being parsed again. A file's result depends only on its bytes
/// (and the YAML limits and rule codes, the same for both loads).
#[derive(Default)]
pub struct ParsedBlobs {
    /// Results in the cache's encoding (without file ids), by blob id.
    by_blob: FxHashMap<gix::ObjectId, Vec<u8>>,
    /// Files of the borrowing load that took a lent result.
    reused: std::sync::atomic::AtomicUsize,
}

impl ParsedBlobs {
    /// How many files of the borrowing load were not parsed again.
    pub fn reused(&self) -> usize {
        self.reused.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The lent result for blob `id` as file `file`, if there is one.
    fn take_known(
        &self,
        id: gix::ObjectId,
        file: FileId,
        rule_codes: &[&'static str],
    ) -> Option<FileResult> {
        let result = cache::decode_result(self.by_blob.get(&id)?, file, rule_codes)?;
        self.reused
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Some(result)
    }

    /// The lent result for a file read from the work tree, by the blob id
    /// of its bytes.
    fn take_bytes(
        &self,
        bytes: &[u8],
        file: FileId,
        rule_codes: &[&'static str],
    ) -> Option<FileResult> {
        // Keys have the repository's hash kind; hashing a file costs far
        // less than parsing it.
        let kind = self.by_blob.keys().next()?.kind();
        let id = gix::objs::compute_hash(kind, gix::objs::Kind::Blob, bytes).ok()?;
        self.take_known(id, file, rule_codes)
    }
}

/// What a load does with [`ParsedBlobs`].
pub enum Sharing<'a> {
    Off,
    /// Keep the results of files whose blob ids the source knows.
    Lend(&'a mut ParsedBlobs),
    /// Take results from an earlier load where the bytes match.
    Borrow(&'a ParsedBlobs),
}

/// [`assemble`] with the cache session already open (`None`: no cache).
fn assemble_with(
    config: Config,
    found: Vec<Found>,
    source: Box<dyn FileSource>,
    options: &LoadOptions,
    session: Option<cache::Session>,
    sharing: Sharing<'_>,
) -> Catalogue {
    let limits = options.limits;
    let (borrowed, mut lend_to) = match sharing {
        Sharing::Off => (None, None),
        Sharing::Lend(parsed) => (None, Some(parsed)),
        Sharing::Borrow(parsed) => ((!parsed.by_blob.is_empty()).then_some(parsed), None),
    };
    let lent = std::sync::Mutex::new(Vec::new());
    let lending = lend_to.is_some();
    let read_and_parse = |file: FileId, path: &str, observed: &Option<Observed>| {
        // A blob id the source knows needs no read (a revision's blob).
        let known_id = borrowed.and_then(|_| source.blob_id(path));
        if let Some(parsed) = borrowed
            && let Some(id) = known_id
            && let Some(result) = parsed.take_known(id, file, &options.rule_codes)
        {
            return result;
        }
        let expected_size = observed.map(|observed| observed.stamp.size());
        let bytes = match source.read_sized(path, limits.max_file_bytes, expected_size) {
            Ok(bytes) => bytes,
            Err(error) => {
                return FileResult::problem(file_problem(
                    file,
                    &format!("cannot read the file: {error}"),
                ));
            }
        };
        if let Some(parsed) = borrowed
            && known_id.is_none()
            && let Some(result) = parsed.take_bytes(&bytes, file, &options.rule_codes)
        {
            return result;
        }
        let result = parse_file(file, &bytes, &limits, &options.rule_codes);
        if lending
            && let Some(id) = source.blob_id(path)
            && let Some(encoded) = cache::encode_result(&result)
            && let Ok(mut lent) = lent.lock()
        {
            lent.push((id, encoded));
        }
        result
    };
    let parse = |index: usize| {
        let file = FileId(u32::try_from(index).unwrap_or(u32::MAX));
        match &found[index] {
            Found::Refused { reason, .. } => FileResult::problem(file_problem(file, reason)),
            Found::File { path, observed } => read_and_parse(file, path, observed),
        }
    };
    let parsing = crate::timings::start(crate::timings::Phase::Parse);
    let (results, outcomes) = match &session {
        Some(session) => session.load(&found, parse),
        None => (
            (0..found.len()).into_par_iter().map(parse).collect(),
            Vec::new(),
        ),
    };
    drop(parsing);
    if let Some(parsed) = lend_to.as_mut() {
        parsed.by_blob.extend(lent.into_inner().unwrap_or_default());
    }
    let _assembling = crate::timings::start(crate::timings::Phase::Assemble);
    let cache = session.map(|session| session.finish(&found, &outcomes, &results));

    let mut catalogue = Catalogue {
        config,
        sources: SourceMap {
            paths: found.into_iter().map(Found::into_path).collect(),
            source,
            limit: limits.max_file_bytes,
        },
        applications: Vec::new(),
        roles: Vec::new(),
        identities: Vec::new(),
        teams: Vec::new(),
        playbooks: Vec::new(),
        sod_rules: Vec::new(),
        duplicates: Vec::new(),
        findings: Vec::new(),
        invalid: Default::default(),
        root: None,
        cache,
    };
    let mut counts = [0usize; 6];
    for object in results.iter().flat_map(|result| &result.objects) {
        counts[kind_index(object.kind())] += 1;
    }
    let [applications, roles, identities, teams, playbooks, sod_rules] = counts;
    catalogue.applications.reserve_exact(applications);
    catalogue.roles.reserve_exact(roles);
    catalogue.identities.reserve_exact(identities);
    catalogue.teams.reserve_exact(teams);
    catalogue.playbooks.reserve_exact(playbooks);
    catalogue.sod_rules.reserve_exact(sod_rules);
    for result in results {
        for finding in &result.findings {
            if let Some(object) = &finding.object {
                catalogue.invalid.insert((object.kind, object.id.clone()));
            }
        }
        catalogue.findings.extend(result.findings);
        for object in result.objects {
            match object {
                Object::Application(o) => catalogue.applications.push(o),
                Object::Role(o) => catalogue.roles.push(*o),
                Object::Identity(o) => catalogue.identities.push(o),
                Object::Team(o) => catalogue.teams.push(o),
                Object::Playbook(o) => catalogue.playbooks.push(o),
                Object::SodRule(o) => catalogue.sod_rules.push(o),
            }
        }
    }
    let duplicates = &mut catalogue.duplicates;
    leave_out_duplicates(&mut catalogue.applications, duplicates);
    leave_out_duplicates(&mut catalogue.roles, duplicates);
    leave_out_duplicates(&mut catalogue.identities, duplicates);
    leave_out_duplicates(&mut catalogue.teams, duplicates);
    leave_out_duplicates(&mut catalogue.playbooks, duplicates);
    leave_out_duplicates(&mut catalogue.sod_rules, duplicates);
    catalogue
}

fn kind_index(kind: Kind) -> usize {
    match kind {
        Kind::Application => 0,
        Kind::Role => 1,
        Kind::Identity => 2,
        Kind::Team => 3,
        Kind::Playbook => 4,
        Kind::SodRule => 5,
    }
}

/// Keeps the first object of each id (in catalogue order) and records the
/// others as duplicates. Ids are borrowed, not cloned: a large catalogue
/// holds a million of them.
fn leave_out_duplicates<T: CatalogueObject>(objects: &mut Vec<T>, duplicates: &mut Vec<Duplicate>) {
    let mut first_of: FxHashMap<&str, Span> =
        FxHashMap::with_capacity_and_hasher(objects.len(), Default::default());
    let mut keep = Vec::with_capacity(objects.len());
    for object in objects.iter() {
        let id = object.id();
        match first_of.entry(id.value.as_str()) {
            Entry::Occupied(first) => {
                duplicates.push(Duplicate {
                    kind: T::KIND,
                    id: id.value.clone(),
                    first: *first.get(),
                    second: id.span,
                });
                keep.push(false);
            }
            Entry::Vacant(slot) => {
                slot.insert(id.span);
                keep.push(true);
            }
        }
    }
    drop(first_of);
    if keep.contains(&false) {
        let mut keep = keep.into_iter();
        objects.retain(|_| keep.next().unwrap_or(true));
    }
}

/// What one file contributed.
struct FileResult {
    objects: Vec<Object>,
    findings: Vec<Diagnostic>,
}

impl FileResult {
    fn problem(finding: Diagnostic) -> Self {
        FileResult {
            objects: Vec::new(),
            findings: vec![finding],
        }
    }
}

/// A finding about a whole file, at its first line.
fn file_problem(file: FileId, message: &str) -> Diagnostic {
    let span = Span {
        file,
        offset: 0,
        len: 0,
        line: 1,
        column: 1,
    };
    Diagnostic::new(INVALID_DOCUMENT, Severity::Error, message).at(span)
}

fn parse_file(file: FileId, bytes: &[u8], limits: &YamlLimits, rule_codes: &[&str]) -> FileResult {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            // The bytes before the error are UTF-8 by definition.
            let valid = std::str::from_utf8(&bytes[..error.valid_up_to()]).unwrap_or_default();
            let line_start = crate::lines::line_start(valid, valid.len());
            let line = crate::lines::split_inclusive(&valid[..line_start]).count() + 1;
            let column = valid[line_start..].chars().count() + 1;
            let span = Span {
                file,
                offset: u32::try_from(error.valid_up_to()).unwrap_or(u32::MAX),
                len: 1,
                line: u32::try_from(line).unwrap_or(u32::MAX),
                column: u32::try_from(column).unwrap_or(u32::MAX),
            };
            let message = format!(
                "the file is not valid UTF-8 (line {line}, column {column}); it was not read"
            );
            return FileResult::problem(
                Diagnostic::new(INVALID_DOCUMENT, Severity::Error, message)
                    .at(span)
                    .help("save the file as UTF-8"),
            );
        }
    };
    // A byte-order mark is not content; offsets stay those of the file.
    let body_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut slices = yaml::split_documents(&text[body_start..]);
    for slice in &mut slices {
        slice.start += body_start;
        slice.end += body_start;
    }
    if slices.len() > limits.max_documents {
        let message = format!(
            "the file holds {} YAML documents, more than the limit of {}; it was not read \
             (the environment variable ROLELINT_MAX_DOCUMENTS raises the limit)",
            slices.len(),
            limits.max_documents
        );
        return FileResult::problem(file_problem(file, &message));
    }
    let per_document: Vec<(Option<Object>, Vec<Diagnostic>)> = slices
        .par_iter()
        .map(|slice| parse_slice(file, text, slice, limits, rule_codes))
        .collect();
    // Sized exactly: a vector grown from empty holds four objects, and a
    // large catalogue has a million files of one object each.
    let mut result = FileResult {
        objects: Vec::with_capacity(per_document.iter().filter(|(o, _)| o.is_some()).count()),
        findings: Vec::new(),
    };
    for (object, findings) in per_document {
        result.objects.extend(object);
        result.findings.extend(findings);
    }
    result
}

fn parse_slice(
    file: FileId,
    text: &str,
    slice: &DocumentSlice,
    limits: &YamlLimits,
    rule_codes: &[&str],
) -> (Option<Object>, Vec<Diagnostic>) {
    let document = &text[slice.start..slice.end];
    let node = match yaml::parse_document(document, limits) {
        Ok(node) => node,
        Err(error) => {
            let limit = is_limit(&error);
            // Other tools' YAML (templates, CI files) may not parse: that is
            // not ours to report, unless it tripped a resource limit.
            if !limit && !looks_like_ours(document) {
                return (None, Vec::new());
            }
            let problem = syntax_problem(file, slice, &error);
            let mut finding = Diagnostic::new(INVALID_DOCUMENT, Severity::Error, problem.message)
                .at(problem.span);
            finding.help = problem.help;
            return (None, vec![finding]);
        }
    };
    let mut decoder = Decoder::new(file, *slice, rule_codes);
    let decoded = decode::decode_document(&mut decoder, &node);
    let object_ref = match decoded {
        Decoded::Object(object) => return (Some(*object), Vec::new()),
        Decoded::NotOurs => return (None, Vec::new()),
        Decoded::Invalid(object) => object,
    };
    let findings = decoder
        .problems
        .into_iter()
        .map(|problem| {
            let mut finding = Diagnostic::new(INVALID_DOCUMENT, Severity::Error, problem.message)
                .at(problem.span);
            finding.help = problem.help;
            if let Some((kind, id)) = &object_ref {
                finding = finding.on(*kind, id);
            }
            finding
        })
        .collect();
    (None, findings)
}

/// Whether a document that failed to parse declares itself a rolelint document.
fn looks_like_ours(document: &str) -> bool {
    crate::lines::split_inclusive(document).any(|line| {
        let line = crate::lines::body(line).trim_start_matches(['{', ' ', '\t']);
        line.strip_prefix("apiVersion")
            .map(|rest| rest.trim_start().trim_start_matches(':').trim_start())
            .is_some_and(|value| {
                value
                    .trim_start_matches(['"', '\''])
                    .starts_with("rolelint/")
            })
    })
}

fn is_limit(error: &yaml::YamlError) -> bool {
    error.limit
}

fn syntax_problem(file: FileId, slice: &DocumentSlice, error: &yaml::YamlError) -> Problem {
    let span = decode::location_span(file, slice, &error.location);
    // A limit is not a syntax error: say which limit refused the document.
    let (message, help) = if is_limit(error) {
        (
            format!("YAML document refused: {}", error.message),
            Some(
                "rolelint bounds nesting depth, node count and alias expansion per document to stay \
                 safe on untrusted input; for a file you trust, the environment variables \
                 ROLELINT_MAX_DEPTH, ROLELINT_MAX_NODES and ROLELINT_ALIAS_EVENTS_PER_BYTE raise \
                 them (docs/security.md)"
                    .to_owned(),
            ),
        )
    } else {
        (format!("YAML syntax error: {}", error.message), None)
    };
    Problem {
        span,
        message,
        help,
    }
}
