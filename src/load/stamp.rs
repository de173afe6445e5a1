//! What a file's stat data says, taken once per file by discovery: the size
//! sizes the read buffer, and the whole stamp keys the cache (docs/cache.md),
//! so a run stats each file once.

use std::fs::Metadata;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use bitcode::{Decode, Encode};

/// A file whose mtime or ctime is this close to the moment its stat data was
/// taken (or later) may still change within the file system's timestamp
/// granularity without its stat data changing, so it is not cached. 2 s
/// covers the coarsest common granularity (FAT's 2 s; ext3 and HFS+ have
/// 1 s; ext4, XFS, APFS and NTFS are finer).
pub(super) const RACY_MARGIN_NANOS: i64 = 2_000_000_000;

/// One file's stat data: equal stamps mean an unchanged file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Encode, Decode)]
pub struct Stamp {
    pub(super) size: u64,
    /// Nanoseconds since the Unix epoch.
    pub(super) mtime: i64,
    pub(super) ctime: i64,
    pub(super) inode: u64,
    pub(super) device: u64,
}

impl Stamp {
    /// `None` for anything but a regular file with representable times.
    #[cfg(unix)]
    pub(super) fn of(metadata: &Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let nanos =
            |seconds: i64, nanos: i64| seconds.checked_mul(1_000_000_000)?.checked_add(nanos);
        metadata.is_file().then_some(())?;
        Some(Stamp {
            size: metadata.len(),
            mtime: nanos(metadata.mtime(), metadata.mtime_nsec())?,
            ctime: nanos(metadata.ctime(), metadata.ctime_nsec())?,
            inode: metadata.ino(),
            device: metadata.dev(),
        })
    }

    #[cfg(not(unix))]
    pub(super) fn of(metadata: &Metadata) -> Option<Stamp> {
        metadata.is_file().then_some(())?;
        let mtime = nanos_since_epoch(metadata.modified().ok()?)?;
        Some(Stamp {
            size: metadata.len(),
            mtime,
            ctime: mtime,
            inode: 0,
            device: 0,
        })
    }

    /// The file's size in bytes when the stamp was taken.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Whether the file was last changed safely before `taken_at`, so a
    /// later change is bound to change the stamp (the "racy" case otherwise).
    pub(super) fn settled(&self, taken_at: i64) -> bool {
        self.mtime.max(self.ctime) < taken_at.saturating_sub(RACY_MARGIN_NANOS)
    }
}

/// A stamp and the moment it was taken (just before the stat call), which
/// is what decides whether it is settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Observed {
    pub stamp: Stamp,
    /// Nanoseconds since the Unix epoch.
    pub taken_at: i64,
}

impl Observed {
    /// Stats `path` (following symbolic links). `None` if that fails or it
    /// is not a regular file.
    pub fn take(path: &Path) -> Option<Observed> {
        let taken_at = nanos_since_epoch(SystemTime::now())?;
        Observed::of(&std::fs::metadata(path).ok()?, taken_at)
    }

    /// From stat data taken at `taken_at` (or later).
    pub fn of(metadata: &Metadata, taken_at: i64) -> Option<Observed> {
        Some(Observed {
            stamp: Stamp::of(metadata)?,
            taken_at,
        })
    }

    /// Whether a later change is bound to change the stamp.
    pub fn settled(&self) -> bool {
        self.stamp.settled(self.taken_at)
    }
}

pub(super) fn nanos_since_epoch(time: SystemTime) -> Option<i64> {
    i64::try_from(time.duration_since(UNIX_EPOCH).ok()?.as_nanos()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_changed_within_the_margin_are_not_settled() {
        let start = 1_000 * 1_000_000_000;
        let stamp = |mtime: i64, ctime: i64| Stamp {
            size: 1,
            mtime,
            ctime,
            inode: 1,
            device: 1,
        };
        assert!(stamp(start - RACY_MARGIN_NANOS - 1, start - RACY_MARGIN_NANOS - 1).settled(start));
        assert!(!stamp(start - RACY_MARGIN_NANOS, 0).settled(start));
        // An old mtime (restored by `touch -d` or `cp -p`) with a fresh ctime.
        assert!(!stamp(0, start - 1).settled(start));
        // A timestamp from the future (clock skew) is never settled.
        assert!(!stamp(start + 5, start + 5).settled(start));
    }

    #[test]
    fn stamps_are_taken_of_regular_files_and_a_fresh_one_is_not_settled() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "kind: Team\n").unwrap_or_else(|e| panic!("{e}"));
        let observed = Observed::take(&path).unwrap_or_else(|| panic!("no stamp"));
        assert_eq!(observed.stamp.size(), 11);
        // Just written: within the margin of the moment it was stat'ed.
        assert!(!observed.settled());
        assert!(
            Observed::take(dir.path()).is_none(),
            "a directory has no stamp"
        );
        assert!(Observed::take(&dir.path().join("missing.yaml")).is_none());
    }
}
