//! The zone set: every loaded zone with its interned names, compact records and indices.

pub mod address;
pub mod address_table;
pub mod bits;
pub mod index;
pub mod name_index;
pub mod names;
pub mod prefixes;
pub mod reverse;
pub mod special;
pub mod zone;

pub use names::{NameId, NameTable};
pub use zone::{Record, RecordData, Zone, ZoneSet};
