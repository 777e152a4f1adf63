//! The zone set as the DNS a receiver queries (for SPF), as the internet sees it, with
//! the planner's changes laid over it: "what if `mail` had the address 203.0.113.25".

use crate::model::index::{Answer, SetIndex};
use crate::model::zone::ZoneSet;
use crate::rr::RType;
use crate::spf::Lookup;
use std::collections::HashMap;
use std::net::IpAddr;

pub struct SetDns<'a> {
    pub set: &'a ZoneSet,
    pub indices: &'a SetIndex,
    /// Names whose addresses are taken from here instead of the set.
    pub overlay: &'a HashMap<String, Vec<IpAddr>>,
}

impl SetDns<'_> {
    /// The records of `type` at `name` in the zone that holds it, CNAMEs followed.
    fn records_at(&self, name: &str, rtype: RType) -> Lookup<Vec<(usize, usize)>> {
        let mut name = name.to_ascii_lowercase();
        for _ in 0..8 {
            let Some(z) = self.set.zone_for(&name) else {
                return Lookup::Unknown;
            };
            let zone = &self.set.zones[z];
            let Some(id) = zone.names.find_text(&name) else {
                return Lookup::Void;
            };
            let index = &self.indices.zones[z];
            if index.occluder(zone, id).is_some() || (index.is_cut(id) && id != zone.origin) {
                return Lookup::Unknown;
            }
            let at = index.at(id);
            let found: Vec<(usize, usize)> = at
                .iter()
                .filter(|&&i| zone.records[i as usize].rtype == rtype)
                .map(|&i| (z, i as usize))
                .collect();
            if !found.is_empty() {
                return Lookup::Found(found);
            }
            match at
                .iter()
                .map(|&i| &zone.records[i as usize])
                .find(|r| r.rtype == RType::CNAME)
                .and_then(|r| zone.target(r))
            {
                Some(t) => name = zone.name(t),
                None => return Lookup::Void,
            }
        }
        Lookup::Void
    }
}

impl crate::spf::Dns for SetDns<'_> {
    fn txt(&self, name: &str) -> Lookup<Vec<String>> {
        match self.records_at(name, RType::TXT) {
            Lookup::Found(list) => Lookup::Found(
                list.into_iter()
                    .filter_map(|(z, i)| {
                        let zone = &self.set.zones[z];
                        let fields =
                            super::super::rdata_text::fields(self.set, zone, &zone.records[i])?;
                        Some(
                            fields
                                .iter()
                                .map(|f| {
                                    let mut out = Vec::new();
                                    crate::rr::text::unescape(f, &mut out).ok();
                                    String::from_utf8_lossy(&out).into_owned()
                                })
                                .collect::<String>(),
                        )
                    })
                    .collect(),
            ),
            Lookup::Void => Lookup::Void,
            Lookup::Unknown => Lookup::Unknown,
        }
    }

    fn addresses(&self, name: &str) -> Lookup<Vec<IpAddr>> {
        if let Some(planned) = self.overlay.get(&name.to_ascii_lowercase()) {
            return Lookup::Found(planned.clone());
        }
        match self.indices.resolve_text_following(self.set, name) {
            Answer::OutOfSet | Answer::Delegated => Lookup::Unknown,
            answer @ Answer::Addresses { .. } => {
                Lookup::Found(self.indices.answer_addresses(self.set, &answer))
            }
            _ => Lookup::Void,
        }
    }

    fn mx(&self, name: &str) -> Lookup<Vec<String>> {
        match self.records_at(name, RType::MX) {
            Lookup::Found(list) => Lookup::Found(
                list.into_iter()
                    .filter_map(|(z, i)| {
                        let zone = &self.set.zones[z];
                        zone.target(&zone.records[i]).map(|t| zone.name(t))
                    })
                    .filter(|n| n != ".")
                    .collect(),
            ),
            Lookup::Void => Lookup::Void,
            Lookup::Unknown => Lookup::Unknown,
        }
    }

    fn ptr(&self, address: IpAddr) -> Lookup<Vec<String>> {
        if self.set.reverse_zone_for(address).is_none() {
            return Lookup::Unknown;
        }
        let names: Vec<String> = self
            .indices
            .ptrs_for(self.set, address)
            .filter_map(|(z, i)| {
                let zone = &self.set.zones[z];
                zone.target(&zone.records[i]).map(|t| zone.name(t))
            })
            .collect();
        if names.is_empty() {
            Lookup::Void
        } else {
            Lookup::Found(names)
        }
    }
}
