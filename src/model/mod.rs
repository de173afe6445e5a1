//! The catalogue's types: what users write (FORMAT.md), typed and spanned.

mod config;
mod date;
mod keyword;
mod objects;
mod refs;
pub mod schema;
mod span;

pub use config::{Config, Defaults, RuleLevel};
pub use date::{Date, DateError};
pub use objects::*;
pub use refs::{Approver, ID_PATTERN, Id, PermissionRef, Principal, RefError, SodItem};
pub use span::{FileId, Span, Spanned};
