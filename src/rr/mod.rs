//! Record types and RDATA: presentation-format parsing straight from tokens for the types
//! zonelint reasons about, and field-level validators for the rest.

pub mod address;
pub mod rdata;
pub mod svcb;
pub mod text;
pub mod types;

pub use types::{RClass, RType};
