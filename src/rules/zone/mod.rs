//! Structural rules: what one zone must look like on its own (RFC 1034, 1035, 2181).

pub mod zone001_soa;
pub mod zone002_apex_ns;
pub mod zone003_out_of_zone;
pub mod zone004_cname_and_other_data;
pub mod zone005_multiple_cnames;
pub mod zone006_duplicate_record;
pub mod zone007_ttl_mismatch;
pub mod zone008_ns_without_address;
pub mod zone009_ns_to_cname;
pub mod zone010_below_dname;
pub mod zone011_duplicate_origin;
pub mod zone012_ds_at_apex;
pub mod zone013_srv_target_is_cname;
pub mod zone014_target_not_host_name;
pub mod zone015_cds_without_dnskey;
pub mod zone016_no_default_ttl;

use crate::diagnostic::Location;
use crate::model::zone::Zone;
use crate::span::Span;

/// The start of a zone's own file, for findings about something missing.
pub(crate) fn zone_start(zone: &Zone) -> Location {
    Location {
        source: zone.source,
        span: Span::new(0, 0),
    }
}
