//! The on-disk cache of parsed files (docs/cache.md).
//!
//! Per file, it keeps what reading, parsing and decoding gave (the objects
//! and the `schema/invalid-document` findings), keyed by the file's path and
//! stat data, so a warm run neither reads nor parses an unchanged file. The
//! graph, the rules and the rendering always run.
//!
//! The cache is only ever an optimisation: a missing, foreign, corrupt or
//! unwritable cache costs time, never an error or a different result. It
//! replays only what rolelint itself wrote; nothing in it is trusted for
//! anything else.
//!
//! One file per catalogue root:
//!
//! ```text
//! MAGIC (8 bytes) | format (u32 LE) | CRC-32 of the index length and the
//! index (u32 LE) | index length (u64 LE) | index (bitcode) | blobs (bitcode,
//! one per chunk of CHUNK_FILES files, each with its CRC-32 in the index)
//! ```
//!
//! A run reads the index, then each chunk it needs on the thread that
//! decodes it, into a buffer the thread reuses: the file is never in memory
//! whole, and a damaged chunk costs parsing its files again, not the cache.

use std::ffi::OsStr;
use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use bitcode::{Decode, Encode};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::FileResult;
use super::discover::Found;
use super::stamp::{Observed, Stamp, nanos_since_epoch};
use super::yaml::YamlLimits;
use crate::diagnostic::{Diagnostic, ObjectRef, Related, Severity};
use crate::model::{
    Action, Application, AppliesTo, Approver, Credential, CredentialType, Criticality, Date,
    FileId, Grant, Id, Identity, IdentityStatus, IdentityType, Labels, Object, Origin,
    PermissionDecl, PermissionRef, Playbook, Principal, Review, Role, SodItem, SodRule, Span,
    Spanned, Step, Suppression, Team, Trigger,
};

/// Chooses the cache directory, as `--cache-dir` does.
pub const DIR_VAR: &str = "ROLELINT_CACHE_DIR";

const MAGIC: &[u8; 8] = b"RLCACHE\0";
/// Bump on any change of the layout or of the types below (including a new
/// major version of `bitcode`, whose encoding may change between them).
const FORMAT: u32 = 3;
const PREFIX_LEN: usize = MAGIC.len() + 4 + 4;

/// Whether to cache, and where: what the command line and environment say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheSettings {
    /// `--cache-dir`, else `ROLELINT_CACHE_DIR`; `None`: the default place.
    pub dir: Option<PathBuf>,
}

impl CacheSettings {
    /// `--cache` (`Some(true)`) and `--no-cache` (`Some(false)`) decide;
    /// without either the cache is on unless the `CI` variable is set.
    /// `None`: no cache.
    pub fn from_command_line(enabled: Option<bool>, dir: Option<PathBuf>) -> Option<Self> {
        let env_dir = std::env::var_os(DIR_VAR)
            .filter(|dir| !dir.is_empty())
            .map(PathBuf::from);
        Self::decide(enabled, std::env::var_os("CI").as_deref(), dir.or(env_dir))
    }

    fn decide(enabled: Option<bool>, ci: Option<&OsStr>, dir: Option<PathBuf>) -> Option<Self> {
        enabled
            .unwrap_or_else(|| !is_ci(ci))
            .then_some(CacheSettings { dir })
    }
}

/// GitHub Actions, GitLab and most CI services set `CI=true`; an empty
/// value, `0` or `false` means not in CI.
fn is_ci(value: Option<&OsStr>) -> bool {
    match value {
        None => false,
        Some(value) => !matches!(
            value.to_str().map(str::to_ascii_lowercase).as_deref(),
            Some("" | "0" | "false")
        ),
    }
}

/// What the cache did in one load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheUsage {
    /// The cache file.
    pub file: PathBuf,
    /// Files replayed from the cache.
    pub reused: usize,
    /// Files read and parsed.
    pub parsed: usize,
    /// Whether the cache file was (re)written.
    pub written: bool,
}

/// Everything besides a file's own bytes that decides what parsing it gives.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
struct Header {
    rolelint: String,
    /// The running executable's size and mtime: a rebuilt rolelint of the
    /// same version (a developer's) may parse differently.
    build: (u64, i64),
    limits: String,
    rule_codes: Vec<String>,
    root: String,
}

#[derive(Encode, Decode)]
struct Index {
    header: Header,
    files: Vec<Entry>,
    /// Where each chunk's blob is, relative to the start of the blobs.
    chunks: Vec<BlobRange>,
}

#[derive(Clone, Copy, Encode, Decode)]
struct BlobRange {
    start: u64,
    len: u64,
    /// CRC-32 of the blob.
    checksum: u32,
}

#[derive(Clone, Encode, Decode)]
pub(super) struct Entry {
    path: String,
    stored: Stored,
}

/// Where a file's result is stored, and the stamp of the file it came from.
#[derive(Clone, Copy, Encode, Decode)]
struct Stored {
    stamp: Stamp,
    /// The chunk holding the file's result, and its position in the chunk.
    chunk: u32,
    position: u32,
}

/// Files per chunk. bitcode decodes column by column, with a fixed cost per
/// call for every field of the model, so decoding files one by one cost more
/// than the data itself (70,000 calls on the M catalogue); a chunk of files
/// is one call. A changed file costs decoding the rest of its chunk.
const CHUNK_FILES: usize = 256;

/// A valid cache file's index, as read at the start of the run; its chunks
/// are read when they are restored.
struct Previous {
    file: File,
    blobs_start: u64,
    chunks: Vec<BlobRange>,
    entries: FxHashMap<String, Stored>,
}

/// The prefix and the index length.
const HEAD_LEN: usize = PREFIX_LEN + 8;

impl Previous {
    fn read(file: File, header: &Header) -> Option<Previous> {
        let file_len = file.metadata().ok()?.len();
        let mut head = [0u8; HEAD_LEN];
        read_exact_at(&file, &mut head, 0).ok()?;
        if &head[..MAGIC.len()] != MAGIC || read_u32(&head[8..12])? != FORMAT {
            return None;
        }
        let index_len = u64::from_le_bytes(head[PREFIX_LEN..].try_into().ok()?);
        let blobs_start = (HEAD_LEN as u64).checked_add(index_len)?;
        // Checked before allocating: a damaged length must not ask for
        // more memory than the file holds.
        let blobs_len = file_len.checked_sub(blobs_start)?;
        let mut index = vec![0u8; usize::try_from(index_len).ok()?];
        read_exact_at(&file, &mut index, HEAD_LEN as u64).ok()?;
        let mut checksum = crc32fast::Hasher::new();
        checksum.update(&head[PREFIX_LEN..]);
        checksum.update(&index);
        if checksum.finalize() != read_u32(&head[12..16])? {
            return None;
        }
        let index: Index = bitcode::decode(&index).ok()?;
        if index.header != *header {
            return None;
        }
        let in_bounds = |range: &BlobRange| {
            range
                .start
                .checked_add(range.len)
                .is_some_and(|end| end <= blobs_len)
                && usize::try_from(range.len).is_ok()
        };
        let chunk_count = index.chunks.len();
        if !index.chunks.iter().all(in_bounds)
            || !index
                .files
                .iter()
                .all(|entry| (entry.stored.chunk as usize) < chunk_count)
        {
            return None;
        }
        let entries = index
            .files
            .into_iter()
            .map(|entry| (entry.path, entry.stored))
            .collect();
        Some(Previous {
            file,
            blobs_start,
            chunks: index.chunks,
            entries,
        })
    }

    /// The blob of `chunk`, read into `buffer`; `None` if it cannot be read
    /// or fails its checksum.
    fn blob<'b>(&self, chunk: usize, buffer: &'b mut Vec<u8>) -> Option<&'b [u8]> {
        // In bounds, and the length a usize: checked in `read`.
        let range = self.chunks[chunk];
        buffer.clear();
        buffer.resize(range.len as usize, 0);
        read_exact_at(&self.file, buffer, self.blobs_start + range.start).ok()?;
        (crc32fast::hash(buffer) == range.checksum).then_some(&buffer[..])
    }
}

/// Reads exactly `buffer.len()` bytes at `offset`, leaving the file's
/// position alone, so threads can read chunks of one file at once.
#[cfg(unix)]
fn read_exact_at(file: &File, buffer: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buffer: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !buffer.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buffer, offset) {
            Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(read) => {
                buffer = &mut buffer[read..];
                offset += read as u64;
            }
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

/// Elsewhere no cache is read (it is still written).
#[cfg(not(any(unix, windows)))]
fn read_exact_at(_: &File, _: &mut [u8], _: u64) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

fn read_u32(bytes: &[u8]) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.try_into().ok()?))
}

/// What happened to one file, for writing the cache afterwards.
#[derive(Clone, Copy)]
pub(super) enum Outcome {
    /// Replayed from the previous cache.
    Reused(Stamp),
    /// Read and parsed; settled, so it may be stored.
    Parsed(Stamp),
    /// Not to be stored: unreadable, refused, or changed too recently.
    NotStored,
}

/// One chunk's blob, and the files it holds (position in the run, stamp) in
/// their order in the chunk.
struct EncodedChunk {
    blob: Vec<u8>,
    files: Vec<(usize, Stamp)>,
}

/// The cache during one load.
pub(super) struct Session {
    file: PathBuf,
    root: PathBuf,
    header: Header,
    rule_codes: Vec<&'static str>,
    previous: Option<Previous>,
}

impl Session {
    /// Opens the cache for the catalogue at `root` (files on disk), reading
    /// the previous cache if there is a valid one. `None`: no cache (no
    /// place for it, or no way to tell this build from another).
    pub(super) fn open(
        settings: &CacheSettings,
        root: &Path,
        limits: &YamlLimits,
        rule_codes: &[&'static str],
    ) -> Option<Session> {
        let executable = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
        let header = Header {
            rolelint: env!("CARGO_PKG_VERSION").to_owned(),
            build: (
                executable.len(),
                nanos_since_epoch(executable.modified().ok()?)?,
            ),
            limits: format!("{limits:?}"),
            rule_codes: rule_codes.iter().map(|code| (*code).to_owned()).collect(),
            root: root.to_string_lossy().into_owned(),
        };
        let dir = match &settings.dir {
            Some(dir) => dir.clone(),
            None => default_dir(root)?,
        };
        let file = dir.join(format!(
            "{:08x}.cache",
            crc32fast::hash(root.as_os_str().as_encoded_bytes())
        ));
        let previous = File::open(&file)
            .ok()
            .and_then(|opened| Previous::read(opened, &header));
        Some(Session {
            file,
            root: root.to_path_buf(),
            header,
            rule_codes: rule_codes.to_vec(),
            previous,
        })
    }

    /// The result of every file found (catalogue order), from the cache when
    /// its stamp is unchanged, else from `parse`, which reads and parses it
    /// (or reports why it is refused).
    pub(super) fn load(
        &self,
        found: &[Found],
        parse: impl Fn(usize) -> FileResult + Sync,
    ) -> (Vec<FileResult>, Vec<Outcome>) {
        // Stat data taken before reading (by discovery, else now): a change
        // after it changes the stamp.
        let observed: Vec<Option<Observed>> = found
            .par_iter()
            .map(|found| match found {
                Found::File {
                    observed: Some(observed),
                    ..
                } => Some(*observed),
                Found::File {
                    path,
                    observed: None,
                } => Observed::take(&self.root.join(path)),
                Found::Refused { .. } => None,
            })
            .collect();
        let restored = self.restore(found, &observed);
        restored
            .into_par_iter()
            .zip(observed)
            .enumerate()
            .map(|(index, (restored, observed))| match (restored, observed) {
                (Some(result), Some(observed)) => (result, Outcome::Reused(observed.stamp)),
                (_, observed) => {
                    let outcome = match observed {
                        Some(observed) if observed.settled() => Outcome::Parsed(observed.stamp),
                        _ => Outcome::NotStored,
                    };
                    (parse(index), outcome)
                }
            })
            .unzip()
    }

    /// The results the previous cache holds for files whose stamps are
    /// unchanged (refused files have no stamp), by position in `found`;
    /// only chunks holding such a file are decoded. A chunk that does not
    /// decode is as good as missing.
    fn restore(&self, found: &[Found], observed: &[Option<Observed>]) -> Vec<Option<FileResult>> {
        let mut restored: Vec<Option<FileResult>> = Vec::with_capacity(found.len());
        restored.resize_with(found.len(), || None);
        let Some(previous) = &self.previous else {
            return restored;
        };
        // Per chunk: (position in the chunk, position in `found`).
        let mut wanted: Vec<Vec<(usize, usize)>> = vec![Vec::new(); previous.chunks.len()];
        for (index, (found, observed)) in found.iter().zip(observed).enumerate() {
            if let Some(observed) = observed
                && let Some(stored) = previous.entries.get(found.path())
                && stored.stamp == observed.stamp
            {
                wanted[stored.chunk as usize].push((stored.position as usize, index));
            }
        }
        let decoded: Vec<Vec<(usize, FileResult)>> = wanted
            .par_iter()
            .enumerate()
            .filter(|(_, files)| !files.is_empty())
            .map(|(chunk, files)| {
                let decoded = SCRATCH.with_borrow_mut(|Scratch { codec, blob }| {
                    let blob = previous.blob(chunk, blob)?;
                    codec.decode::<Vec<CachedFile>>(blob).ok()
                });
                let Some(mut cached) = decoded else {
                    return Vec::new();
                };
                files
                    .iter()
                    .filter_map(|&(position, index)| {
                        let cached = std::mem::take(cached.get_mut(position)?);
                        let file = FileId(u32::try_from(index).ok()?);
                        Some((index, cached.restore(file, &self.rule_codes)?))
                    })
                    .collect()
            })
            .collect();
        for (index, result) in decoded.into_iter().flatten() {
            restored[index] = Some(result);
        }
        restored
    }

    /// Writes the cache if enough changed ([`worth_rewriting`]): `found`,
    /// `outcomes` and `results` are in catalogue order. A failed write only
    /// leaves the cache as it was.
    pub(super) fn finish(
        mut self,
        found: &[Found],
        outcomes: &[Outcome],
        results: &[FileResult],
    ) -> CacheUsage {
        // Closed before a new cache is renamed over it: on Windows,
        // replacing a file that is still open can fail.
        let previous_entries = self.previous.take().map(|previous| previous.entries.len());
        let reused = outcomes
            .iter()
            .filter(|outcome| matches!(outcome, Outcome::Reused(_)))
            .count();
        let stored = outcomes
            .iter()
            .filter(|outcome| matches!(outcome, Outcome::Parsed(_)))
            .count();
        let rewrite = match previous_entries {
            None => true,
            Some(entries) => worth_rewriting(entries, reused, stored),
        };
        let written = rewrite && self.write(found, outcomes, results).is_ok();
        CacheUsage {
            file: self.file,
            reused,
            parsed: outcomes.len() - reused,
            written,
        }
    }

    fn write(
        &self,
        found: &[Found],
        outcomes: &[Outcome],
        results: &[FileResult],
    ) -> std::io::Result<()> {
        let storable: Vec<(usize, Stamp)> = outcomes
            .iter()
            .enumerate()
            .filter_map(|(index, outcome)| match outcome {
                Outcome::Reused(stamp) | Outcome::Parsed(stamp) => Some((index, *stamp)),
                Outcome::NotStored => None,
            })
            .collect();
        // Encoded in parallel, a chunk at a time, so the cached form of the
        // whole catalogue is never in memory at once. A file whose result
        // cannot be stored is left out of its chunk.
        let encoded: Vec<EncodedChunk> = storable
            .par_chunks(CHUNK_FILES)
            .map(|chunk| {
                let mut files = Vec::with_capacity(chunk.len());
                let mut cached = Vec::with_capacity(chunk.len());
                for &(index, stamp) in chunk {
                    if let Some(file) = results.get(index).and_then(CachedFile::store) {
                        files.push((index, stamp));
                        cached.push(file);
                    }
                }
                let blob =
                    SCRATCH.with_borrow_mut(|scratch| scratch.codec.encode(&cached).to_vec());
                EncodedChunk { blob, files }
            })
            .collect();
        let mut files = Vec::with_capacity(storable.len());
        let mut chunks = Vec::with_capacity(encoded.len());
        let mut blobs_len = 0u64;
        for (
            chunk,
            EncodedChunk {
                blob,
                files: chunk_files,
            },
        ) in encoded.iter().enumerate()
        {
            chunks.push(BlobRange {
                start: blobs_len,
                len: blob.len() as u64,
                checksum: crc32fast::hash(blob),
            });
            blobs_len += blob.len() as u64;
            for (position, &(index, stamp)) in chunk_files.iter().enumerate() {
                files.push(Entry {
                    path: found.get(index).map_or("", Found::path).to_owned(),
                    stored: Stored {
                        stamp,
                        chunk: u32::try_from(chunk).map_err(std::io::Error::other)?,
                        position: u32::try_from(position).map_err(std::io::Error::other)?,
                    },
                });
            }
        }
        let index = bitcode::encode(&Index {
            header: self.header.clone(),
            files,
            chunks,
        });
        let index_len = (index.len() as u64).to_le_bytes();
        // The index's checksum; each chunk's is in the index.
        let mut checksum = crc32fast::Hasher::new();
        checksum.update(&index_len);
        checksum.update(&index);

        let dir = self.file.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        // Written whole under another name, then renamed over the old one:
        // a reader sees the old cache or the new one, never a mix (a reader
        // holding the old one open reads it to the end). No fsync: a cache
        // torn by a crash fails its checksums and is rebuilt.
        let mut temporary = tempfile::Builder::new()
            .prefix(TEMPORARY_PREFIX)
            .tempfile_in(dir)?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, temporary.as_file_mut());
        out.write_all(MAGIC)?;
        out.write_all(&FORMAT.to_le_bytes())?;
        out.write_all(&checksum.finalize().to_le_bytes())?;
        out.write_all(&index_len)?;
        out.write_all(&index)?;
        for chunk in &encoded {
            out.write_all(&chunk.blob)?;
        }
        out.flush()?;
        drop(out);
        temporary.persist(&self.file).map_err(|error| error.error)?;
        prune(dir, &self.file);
        Ok(())
    }
}

/// Out-of-date entries a cache may hold before it is rewritten, as a
/// fraction of its entries (1/32): rewriting encodes every file again, which on a
/// large catalogue costs more than parsing a few changed files again on
/// each run until then.
const REWRITE_FRACTION: usize = 32;

/// Whether to rewrite a cache of `entries` entries after a run that reused
/// `reused` of them and parsed `stored` files it could store: when anything
/// changed and the changes reach [`REWRITE_FRACTION`] of the entries.
/// Entries not reused are of changed or deleted files.
fn worth_rewriting(entries: usize, reused: usize, stored: usize) -> bool {
    let out_of_date = entries.saturating_sub(reused).max(stored);
    out_of_date > 0 && out_of_date.saturating_mul(REWRITE_FRACTION) >= entries
}

/// Cache files kept in one directory: the most recently written, so the
/// caches of catalogues that moved or were deleted (old clones, test
/// directories) do not pile up.
const KEEP_FILES: usize = 32;
const TEMPORARY_PREFIX: &str = ".rolelint-cache-";

/// Deletes all but the [`KEEP_FILES`] newest cache files of `dir`, and
/// temporary files that a killed run left (older than an hour). Only names
/// rolelint writes are touched.
fn prune(dir: &Path, keep: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    let mut caches = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let Some(modified) = entry.metadata().and_then(|m| m.modified()).ok() else {
            continue;
        };
        let is_cache = name
            .strip_suffix(".cache")
            .is_some_and(|stem| stem.len() == 8 && stem.bytes().all(|b| b.is_ascii_hexdigit()));
        if is_cache && entry.path() != keep {
            caches.push((modified, entry.path()));
        } else if name.starts_with(TEMPORARY_PREFIX)
            && now
                .duration_since(modified)
                .is_ok_and(|age| age.as_secs() > 3600)
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    // Newest first; the one just written is kept on top of these.
    caches.sort_by_key(|(modified, _)| std::cmp::Reverse(*modified));
    for (_, path) in caches.into_iter().skip(KEEP_FILES - 1) {
        let _ = std::fs::remove_file(path);
    }
}

/// The default place: `rolelint/` in the Git directory of the repository
/// holding `root` (Git never tracks it), else in the user's cache directory.
fn default_dir(root: &Path) -> Option<PathBuf> {
    git_dir(root)
        .or_else(user_cache_dir)
        .map(|dir| dir.join("rolelint"))
}

/// The Git directory of the nearest `.git` at or above `root`: the directory
/// itself, or where a `.git` file (worktrees, submodules) points.
fn git_dir(root: &Path) -> Option<PathBuf> {
    let dot_git = root
        .ancestors()
        .map(|dir| dir.join(".git"))
        .find(|candidate| candidate.exists())?;
    if dot_git.is_dir() {
        return Some(dot_git);
    }
    let text = std::fs::read_to_string(&dot_git).ok()?;
    let target = text.lines().next()?.strip_prefix("gitdir:")?.trim();
    let target = dot_git.parent()?.join(target);
    target.is_dir().then_some(target)
}

/// `$XDG_CACHE_HOME`, else `~/.cache` (`%LOCALAPPDATA%` on Windows).
fn user_cache_dir() -> Option<PathBuf> {
    let absolute = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|path| path.is_absolute())
    };
    absolute("XDG_CACHE_HOME")
        .or_else(|| absolute("HOME").map(|home| home.join(".cache")))
        .or_else(|| absolute("LOCALAPPDATA"))
}

// ---------------------------------------------------------------------------
// The cached form of one file's result. Spans are stored without their file,
// which is the file's position in this run's list and changes when files are
// added or removed. Conversions destructure every model type exhaustively, so
// a field added to the model does not compile until it is cached too.

/// What a thread reuses from chunk to chunk.
#[derive(Default)]
struct Scratch {
    /// bitcode builds an encoder and a decoder for the whole type tree on
    /// every call; keeping its buffer keeps them.
    codec: bitcode::Buffer,
    /// The bytes of the chunk being restored, read into the same memory.
    blob: Vec<u8>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// One file's result in the cache's encoding, without its file id: what
/// `diff` keeps of one revision's files for the other ([`super::ParsedBlobs`]).
pub(super) fn encode_result(result: &FileResult) -> Option<Vec<u8>> {
    let cached = CachedFile::store(result)?;
    Some(SCRATCH.with_borrow_mut(|scratch| scratch.codec.encode(&cached).to_vec()))
}

/// The result [`encode_result`] encoded, as file `file` of this load.
pub(super) fn decode_result(
    bytes: &[u8],
    file: FileId,
    rule_codes: &[&'static str],
) -> Option<FileResult> {
    SCRATCH
        .with_borrow_mut(|scratch| scratch.codec.decode::<CachedFile>(bytes).ok())?
        .restore(file, rule_codes)
}

#[derive(Default, Encode, Decode)]
struct CachedFile {
    objects: Vec<CachedObject>,
    findings: Vec<CachedDiagnostic>,
}

impl CachedFile {
    fn store(result: &FileResult) -> Option<Self> {
        Some(CachedFile {
            objects: exactly_sized(result.objects.iter().map(CachedObject::store))?,
            findings: exactly_sized(result.findings.iter().map(CachedDiagnostic::store))?,
        })
    }

    fn restore(self, file: FileId, rule_codes: &[&'static str]) -> Option<FileResult> {
        Some(FileResult {
            objects: exactly_sized(self.objects.into_iter().map(|object| object.restore(file)))?,
            findings: exactly_sized(
                self.findings
                    .into_iter()
                    .map(|finding| finding.restore(file, rule_codes)),
            )?,
        })
    }
}

/// A model type's cached form.
trait Mirror: Sized {
    type Model;
    fn store(model: &Self::Model) -> Option<Self>;
    fn restore(self, file: FileId) -> Option<Self::Model>;
}

/// Types cached as they are: they hold no span.
macro_rules! as_is {
    ($($type:ty),+ $(,)?) => {$(
        impl Mirror for $type {
            type Model = $type;
            fn store(model: &$type) -> Option<$type> {
                Some(model.clone())
            }
            fn restore(self, _: FileId) -> Option<$type> {
                Some(self)
            }
        }
    )+};
}

as_is!(
    String,
    bool,
    u32,
    Id,
    PermissionRef,
    Principal,
    Approver,
    SodItem,
    ObjectRef,
    Severity,
    Criticality,
    IdentityType,
    IdentityStatus,
    CredentialType,
    Trigger,
    Action,
);

impl<M: Mirror> Mirror for Option<M> {
    type Model = Option<M::Model>;
    fn store(model: &Option<M::Model>) -> Option<Self> {
        match model {
            Some(model) => M::store(model).map(Some),
            None => Some(None),
        }
    }
    fn restore(self, file: FileId) -> Option<Option<M::Model>> {
        match self {
            Some(mirror) => mirror.restore(file).map(Some),
            None => Some(None),
        }
    }
}

impl<M: Mirror> Mirror for Box<M> {
    type Model = Box<M::Model>;
    fn store(model: &Box<M::Model>) -> Option<Self> {
        M::store(model).map(Box::new)
    }
    fn restore(self, file: FileId) -> Option<Box<M::Model>> {
        (*self).restore(file).map(Box::new)
    }
}

impl<M: Mirror> Mirror for Vec<M> {
    type Model = Vec<M::Model>;
    fn store(model: &Vec<M::Model>) -> Option<Self> {
        exactly_sized(model.iter().map(M::store))
    }
    fn restore(self, file: FileId) -> Option<Vec<M::Model>> {
        exactly_sized(self.into_iter().map(|mirror| mirror.restore(file)))
    }
}

/// Collects into a vector of the iterator's exact length, or `None` at the
/// first `None`. (Collecting into `Option<Vec<_>>` loses the length and
/// rounds a short vector's capacity up to four: a restored catalogue would
/// take twice the memory of a parsed one.)
fn exactly_sized<T>(items: impl ExactSizeIterator<Item = Option<T>>) -> Option<Vec<T>> {
    let mut collected = Vec::with_capacity(items.len());
    for item in items {
        collected.push(item?);
    }
    Some(collected)
}

#[derive(Encode, Decode)]
struct CachedSpan {
    offset: u32,
    len: u32,
    line: u32,
    column: u32,
}

impl Mirror for CachedSpan {
    type Model = Span;
    fn store(model: &Span) -> Option<Self> {
        let Span {
            file: _,
            offset,
            len,
            line,
            column,
        } = *model;
        Some(CachedSpan {
            offset,
            len,
            line,
            column,
        })
    }
    fn restore(self, file: FileId) -> Option<Span> {
        let CachedSpan {
            offset,
            len,
            line,
            column,
        } = self;
        Some(Span {
            file,
            offset,
            len,
            line,
            column,
        })
    }
}

#[derive(Encode, Decode)]
struct CachedSpanned<M> {
    value: M,
    span: CachedSpan,
}

impl<M: Mirror> Mirror for CachedSpanned<M> {
    type Model = Spanned<M::Model>;
    fn store(model: &Spanned<M::Model>) -> Option<Self> {
        let Spanned { value, span } = model;
        Some(CachedSpanned {
            value: M::store(value)?,
            span: CachedSpan::store(span)?,
        })
    }
    fn restore(self, file: FileId) -> Option<Spanned<M::Model>> {
        Some(Spanned {
            value: self.value.restore(file)?,
            span: self.span.restore(file)?,
        })
    }
}

/// A date as days since 1970-01-01.
#[derive(Encode, Decode)]
struct CachedDate(i64);

fn epoch() -> Option<Date> {
    Date::from_ymd(1970, 1, 1)
}

impl Mirror for CachedDate {
    type Model = Date;
    fn store(model: &Date) -> Option<Self> {
        let epoch = epoch()?;
        let days = epoch.days_until(*model);
        // Only what comes back unchanged is stored.
        (epoch.plus_days(days) == *model).then_some(CachedDate(days))
    }
    fn restore(self, _: FileId) -> Option<Date> {
        Some(epoch()?.plus_days(self.0))
    }
}

#[derive(Encode, Decode)]
struct CachedOrigin {
    document: CachedSpan,
    kind: CachedSpan,
}

impl Mirror for CachedOrigin {
    type Model = Origin;
    fn store(model: &Origin) -> Option<Self> {
        let Origin {
            file: _,
            document,
            kind,
        } = model;
        Some(CachedOrigin {
            document: CachedSpan::store(document)?,
            kind: CachedSpan::store(kind)?,
        })
    }
    fn restore(self, file: FileId) -> Option<Origin> {
        Some(Origin {
            file,
            document: self.document.restore(file)?,
            kind: self.kind.restore(file)?,
        })
    }
}

/// A cached struct with the same fields as its model type, each cached as
/// the given type.
macro_rules! mirror_struct {
    ($($model:ident => $mirror:ident { $($field:ident: $type:ty),+ $(,)? })+) => {$(
        #[derive(Encode, Decode)]
        struct $mirror { $($field: $type),+ }

        impl Mirror for $mirror {
            type Model = $model;
            fn store(model: &$model) -> Option<Self> {
                let $model { $($field),+ } = model;
                Some($mirror { $($field: <$type as Mirror>::store($field)?),+ })
            }
            fn restore(self, file: FileId) -> Option<$model> {
                let $mirror { $($field),+ } = self;
                Some($model { $($field: $field.restore(file)?),+ })
            }
        }
    )+};
}

type CachedId = CachedSpanned<Id>;
type CachedOwner = Option<CachedSpanned<Principal>>;
type CachedDay = Option<CachedSpanned<CachedDate>>;

/// Labels as their pairs, restored through [`Labels::from_pairs`], so they
/// are in name order whatever the cache holds.
#[derive(Encode, Decode)]
struct CachedLabels(Vec<(String, String)>);

impl Mirror for CachedLabels {
    type Model = Labels;
    fn store(model: &Labels) -> Option<Self> {
        Some(CachedLabels(model.pairs().to_vec()))
    }
    fn restore(self, _: FileId) -> Option<Labels> {
        Some(Labels::from_pairs(self.0))
    }
}

mirror_struct! {
    Suppression => CachedSuppression {
        rule: CachedSpanned<String>,
        reason: String,
        until: CachedSpanned<CachedDate>,
        approved_by: CachedOwner,
        ticket: Option<String>,
    }
    Application => CachedApplication {
        id: CachedId,
        name: Option<String>,
        owner: CachedOwner,
        criticality: Criticality,
        permissions: Vec<CachedPermissionDecl>,
        labels: CachedLabels,
        suppress: Vec<CachedSuppression>,
        origin: CachedOrigin,
    }
    PermissionDecl => CachedPermissionDecl {
        id: CachedId,
        description: Option<String>,
        privileged: bool,
    }
    Role => CachedRole {
        id: CachedId,
        name: Option<String>,
        description: Option<String>,
        owner: CachedOwner,
        department: Option<CachedSpanned<String>>,
        inherits: Vec<CachedId>,
        permissions: Vec<CachedSpanned<PermissionRef>>,
        privileged: CachedSpanned<bool>,
        requires_mfa: CachedSpanned<bool>,
        max_grant_days: Option<CachedSpanned<u32>>,
        review: Option<CachedReview>,
        labels: CachedLabels,
        suppress: Vec<CachedSuppression>,
        origin: CachedOrigin,
    }
    Review => CachedReview {
        every_days: Option<CachedSpanned<u32>>,
        last_reviewed: CachedDay,
        reviewer: CachedOwner,
        span: CachedSpan,
    }
    Identity => CachedIdentity {
        id: CachedId,
        name: Option<String>,
        kind: CachedSpanned<IdentityType>,
        status: CachedSpanned<IdentityStatus>,
        terminated_on: CachedDay,
        department: Option<CachedSpanned<String>>,
        manager: Option<CachedId>,
        owner: CachedOwner,
        credentials: Vec<CachedCredential>,
        grants: Vec<CachedGrant>,
        labels: CachedLabels,
        suppress: Vec<CachedSuppression>,
        origin: CachedOrigin,
    }
    Credential => CachedCredential {
        id: CachedId,
        kind: CredentialType,
        created: CachedDay,
        last_rotated: CachedDay,
        expires: CachedDay,
    }
    Grant => CachedGrant {
        role: Option<CachedId>,
        permission: Option<Box<CachedSpanned<PermissionRef>>>,
        granted: CachedDay,
        approved_by: CachedOwner,
        ticket: Option<String>,
        via: Option<CachedId>,
        expires: CachedDay,
        revoked: CachedDay,
        justification: Option<String>,
        span: CachedSpan,
    }
    Team => CachedTeam {
        id: CachedId,
        name: Option<String>,
        owner: CachedOwner,
        members: Vec<CachedId>,
        labels: CachedLabels,
        suppress: Vec<CachedSuppression>,
        origin: CachedOrigin,
    }
    Playbook => CachedPlaybook {
        id: CachedId,
        name: Option<String>,
        description: Option<String>,
        owner: CachedOwner,
        trigger: CachedSpanned<Trigger>,
        applies_to: Option<CachedAppliesTo>,
        steps: Vec<CachedStep>,
        labels: CachedLabels,
        suppress: Vec<CachedSuppression>,
        origin: CachedOrigin,
    }
    AppliesTo => CachedAppliesTo {
        types: Vec<IdentityType>,
        departments: Vec<String>,
    }
    Step => CachedStep {
        id: CachedId,
        action: CachedSpanned<Action>,
        approvers: Vec<CachedSpanned<Approver>>,
        role: Option<CachedId>,
        expires_after_days: Option<CachedSpanned<u32>>,
        description: Option<String>,
        after: Option<Vec<CachedId>>,
    }
    SodRule => CachedSodRule {
        id: CachedId,
        name: Option<String>,
        description: Option<String>,
        owner: CachedOwner,
        sides: Vec<Vec<CachedSpanned<SodItem>>>,
        labels: CachedLabels,
        suppress: Vec<CachedSuppression>,
        origin: CachedOrigin,
    }
    Related => CachedRelated {
        span: CachedSpan,
        message: String,
    }
}

#[derive(Encode, Decode)]
enum CachedObject {
    Application(CachedApplication),
    Role(CachedRole),
    Identity(CachedIdentity),
    Team(CachedTeam),
    Playbook(CachedPlaybook),
    SodRule(CachedSodRule),
}

impl Mirror for CachedObject {
    type Model = Object;
    fn store(model: &Object) -> Option<Self> {
        Some(match model {
            Object::Application(o) => CachedObject::Application(Mirror::store(o)?),
            Object::Role(o) => CachedObject::Role(Mirror::store(&**o)?),
            Object::Identity(o) => CachedObject::Identity(Mirror::store(o)?),
            Object::Team(o) => CachedObject::Team(Mirror::store(o)?),
            Object::Playbook(o) => CachedObject::Playbook(Mirror::store(o)?),
            Object::SodRule(o) => CachedObject::SodRule(Mirror::store(o)?),
        })
    }
    fn restore(self, file: FileId) -> Option<Object> {
        Some(match self {
            CachedObject::Application(o) => Object::Application(o.restore(file)?),
            CachedObject::Role(o) => Object::Role(Box::new(o.restore(file)?)),
            CachedObject::Identity(o) => Object::Identity(o.restore(file)?),
            CachedObject::Team(o) => Object::Team(o.restore(file)?),
            CachedObject::Playbook(o) => Object::Playbook(o.restore(file)?),
            CachedObject::SodRule(o) => Object::SodRule(o.restore(file)?),
        })
    }
}

#[derive(Encode, Decode)]
struct CachedDiagnostic {
    rule: String,
    severity: Severity,
    message: String,
    object: Option<ObjectRef>,
    detail: Option<String>,
    span: Option<CachedSpan>,
    related: Vec<CachedRelated>,
    help: Option<String>,
    partner: Option<ObjectRef>,
}

impl CachedDiagnostic {
    fn store(model: &Diagnostic) -> Option<Self> {
        let Diagnostic {
            rule,
            severity,
            message,
            object,
            detail,
            span,
            related,
            help,
            partner,
        } = model;
        Some(CachedDiagnostic {
            rule: (*rule).to_owned(),
            severity: *severity,
            message: message.clone(),
            object: object.clone(),
            detail: detail.clone(),
            span: Mirror::store(span)?,
            related: Mirror::store(related)?,
            help: help.clone(),
            partner: partner.clone(),
        })
    }

    /// `None` when the rule is not one this build knows.
    fn restore(self, file: FileId, rule_codes: &[&'static str]) -> Option<Diagnostic> {
        let rule = std::iter::once(super::INVALID_DOCUMENT)
            .chain(rule_codes.iter().copied())
            .find(|code| *code == self.rule)?;
        Some(Diagnostic {
            rule,
            severity: self.severity,
            message: self.message,
            object: self.object,
            detail: self.detail,
            span: self.span.restore(file)?,
            related: self.related.restore(file)?,
            help: self.help,
            partner: self.partner,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ci_turns_the_cache_off_unless_asked_for() {
        let ci = Some(OsStr::new("true"));
        assert_eq!(CacheSettings::decide(None, ci, None), None);
        assert_eq!(
            CacheSettings::decide(Some(true), ci, None),
            Some(CacheSettings { dir: None })
        );
        assert!(CacheSettings::decide(None, None, None).is_some());
        assert_eq!(CacheSettings::decide(Some(false), None, None), None);
        for not_ci in ["", "0", "false", "FALSE"] {
            assert!(!is_ci(Some(OsStr::new(not_ci))), "{not_ci:?}");
        }
        for ci in ["true", "1", "yes", "TRUE"] {
            assert!(is_ci(Some(OsStr::new(ci))), "{ci:?}");
        }
    }

    #[test]
    fn a_cache_is_rewritten_when_a_32nd_of_it_is_out_of_date() {
        assert!(!worth_rewriting(100, 100, 0), "nothing changed");
        assert!(!worth_rewriting(70_000, 69_999, 1), "one edit of many");
        assert!(worth_rewriting(64, 62, 2), "two of 64");
        assert!(worth_rewriting(64, 62, 0), "two of 64 deleted");
        assert!(worth_rewriting(10, 9, 1), "small caches take every change");
        assert!(worth_rewriting(100, 100, 4), "new files");
        assert!(worth_rewriting(0, 0, 1), "an empty cache");
    }

    #[test]
    fn dates_survive_the_cache() {
        for text in [
            "1970-01-01",
            "1969-12-31",
            "2026-02-28",
            "2024-02-29",
            "0001-01-01",
            "9999-12-31",
        ] {
            let date = Date::parse(text).unwrap();
            let cached = CachedDate::store(&date).unwrap();
            assert_eq!(cached.restore(FileId(0)).unwrap(), date, "{text}");
        }
    }

    #[test]
    fn a_file_result_survives_the_cache_with_its_new_file_id() {
        let catalogue = r"
apiVersion: rolelint/v1
kind: Identity
id: alice
type: human
grants:
  - role: payments-admin
    granted: 2026-01-01
    expires: 2026-03-01
    approved_by: team:risk
suppress:
  - rule: lifecycle/expired-grant
    reason: migration
    until: 2026-12-31
---
apiVersion: rolelint/v1
kind: Role
id: broken
inherits: [not an id]
";
        let codes = crate::rules::codes();
        let parsed = super::super::parse_file(
            FileId(3),
            catalogue.as_bytes(),
            &YamlLimits::default(),
            &codes,
        );
        assert_eq!(parsed.objects.len(), 1);
        assert!(!parsed.findings.is_empty());
        let blob = encode_result(&parsed).unwrap();
        let restored = decode_result(&blob, FileId(7), &codes).unwrap();
        let moved = |span: Span| Span {
            file: FileId(7),
            ..span
        };
        let expected: Vec<Diagnostic> = parsed
            .findings
            .iter()
            .map(|finding| Diagnostic {
                span: finding.span.map(moved),
                ..finding.clone()
            })
            .collect();
        assert_eq!(restored.findings, expected);
        let (Object::Identity(before), Object::Identity(after)) =
            (&parsed.objects[0], &restored.objects[0])
        else {
            panic!("not an identity");
        };
        assert_eq!(after.origin.file, FileId(7));
        assert_eq!(after.id.span, moved(before.id.span));
        assert_eq!(after.grants[0].span, moved(before.grants[0].span));
        assert_eq!(
            after.grants[0].expires.as_ref().map(|date| date.value),
            before.grants[0].expires.as_ref().map(|date| date.value)
        );
        // Through the user-facing serialization, everything but spans.
        assert_eq!(
            serde_json::to_value(after).unwrap(),
            serde_json::to_value(before).unwrap()
        );
        // A finding of a rule this build does not know drops the entry.
        assert!(decode_result(&blob, FileId(7), &[]).is_some());
        let mut unknown = CachedFile {
            objects: Vec::new(),
            findings: vec![CachedDiagnostic::store(&parsed.findings[0]).unwrap()],
        };
        unknown.findings[0].rule = "no/such-rule".to_owned();
        assert!(decode_result(&bitcode::encode(&unknown), FileId(0), &codes).is_none());
    }

    #[test]
    fn a_damaged_cache_is_not_read() {
        let header = Header {
            rolelint: "0".to_owned(),
            build: (1, 2),
            limits: String::new(),
            rule_codes: Vec::new(),
            root: "/r".to_owned(),
        };
        let index = bitcode::encode(&Index {
            header: header.clone(),
            files: vec![Entry {
                path: "a.yaml".to_owned(),
                stored: Stored {
                    stamp: Stamp {
                        size: 1,
                        mtime: 1,
                        ctime: 1,
                        inode: 1,
                        device: 1,
                    },
                    chunk: 0,
                    position: 0,
                },
            }],
            chunks: vec![BlobRange {
                start: 0,
                len: 3,
                checksum: crc32fast::hash(b"abc"),
            }],
        });
        let build = |index: &[u8], blobs: &[u8], format: u32| {
            let mut checksummed = (index.len() as u64).to_le_bytes().to_vec();
            checksummed.extend_from_slice(index);
            let mut bytes = MAGIC.to_vec();
            bytes.extend_from_slice(&format.to_le_bytes());
            bytes.extend_from_slice(&crc32fast::hash(&checksummed).to_le_bytes());
            bytes.extend_from_slice(&checksummed);
            bytes.extend_from_slice(blobs);
            bytes
        };
        let dir = tempfile::tempdir().unwrap();
        let read = |bytes: &[u8], header: &Header| {
            let path = dir.path().join("cache");
            std::fs::write(&path, bytes).unwrap();
            Previous::read(File::open(&path).unwrap(), header)
        };
        let chunk_of = |previous: &Previous| {
            let mut buffer = Vec::new();
            previous
                .blob(previous.entries["a.yaml"].chunk as usize, &mut buffer)
                .map(<[u8]>::to_vec)
        };
        let good = build(&index, b"abc", FORMAT);
        let previous = read(&good, &header).unwrap();
        assert_eq!(chunk_of(&previous).as_deref(), Some(&b"abc"[..]));

        // Torn: the chunk is past the end.
        assert!(read(&good[..good.len() - 1], &header).is_none());
        // A damaged chunk is as good as missing; the index still serves.
        let mut flipped = good.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert_eq!(chunk_of(&read(&flipped, &header).unwrap()), None);
        // A damaged index, or the index's length.
        let mut flipped = good.clone();
        flipped[HEAD_LEN + 2] ^= 1;
        assert!(read(&flipped, &header).is_none());
        let mut flipped = good.clone();
        flipped[PREFIX_LEN + 7] ^= 0x40;
        assert!(read(&flipped, &header).is_none());
        assert!(read(&build(&index, b"abc", FORMAT + 1), &header).is_none());
        // A blob range past the end, with a valid checksum.
        assert!(read(&build(&index, b"ab", FORMAT), &header).is_none());
        let other = Header {
            rolelint: "1".to_owned(),
            ..header.clone()
        };
        assert!(read(&good, &other).is_none());
        assert!(read(&[], &header).is_none());
    }
}
