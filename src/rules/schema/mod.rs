//! schema: the files and documents themselves.

pub mod invalid_document;
