//! Writing new records from the zone set: `zonelint generate ptr`. (Not to be confused
//! with `syntax::dollar_generate`, BIND's `$GENERATE` directive.)

pub mod ptr;
