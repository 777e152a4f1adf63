//! MX rules: what a mail exchanger must look like for senders to reach the domain
//! (RFC 5321 §5.1, RFC 2181 §10.3, RFC 7505).

pub mod mx001_target_without_address;
pub mod mx002_target_is_cname;
pub mod mx003_address_literal;
pub mod mx004_null_mx;
pub mod mx005_private_target;

use super::ZoneContext;
use crate::model::NameId;
use crate::model::zone::Record;
use crate::rr::RType;

/// One MX record and what its exchange resolves to.
pub struct MxFact {
    pub record: usize,
    pub preference: u16,
    pub target: NameId,
    /// `None` for a null MX (`0 .`).
    pub answer: Option<crate::model::index::Answer>,
}

/// The zone's MX records with their resolved exchanges, worked out once for all MX
/// rules with one translator (MX targets share their suffixes).
pub fn facts(ctx: &ZoneContext) -> Vec<MxFact> {
    let zone = ctx.zone;
    let mut translator = crate::model::index::Translator::new(&zone.names);
    // Every MX record's data is an entry of `zone.mx`, so its length is room enough,
    // taken at once: not a vector grown (and copied) by doubling to twice what a large
    // zone needs.
    let mut facts = Vec::with_capacity(zone.mx.len());
    facts.extend(mx_records(ctx).map(|(r, preference, target)| {
        MxFact {
            record: zone.index_of(r),
            preference,
            target,
            answer: (target != NameId::ROOT)
                .then(|| ctx.indices.resolve_with(ctx.set, &mut translator, target)),
        }
    }));
    facts
}

/// The zone's MX records with their preference and exchange, null MX (`0 .`) included.
pub(crate) fn mx_records<'a>(
    ctx: &'a ZoneContext,
) -> impl Iterator<Item = (&'a Record, u16, NameId)> + 'a {
    let zone = ctx.zone;
    zone.records
        .iter()
        .filter(|r| r.rtype == RType::MX)
        .filter_map(move |r| match r.data() {
            crate::model::RecordData::Mx(i) => {
                let (preference, target) = zone.mx[i as usize];
                Some((r, preference, target))
            }
            _ => None,
        })
}
