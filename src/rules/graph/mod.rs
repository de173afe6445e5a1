//! graph: references between objects.

pub mod duplicate_id;
pub mod inheritance_cycle;
pub mod step_cycle;
pub mod unknown_reference;
