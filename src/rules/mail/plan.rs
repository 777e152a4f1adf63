//! The mail planner: the one place that decides which edits make a mail host's whole
//! chain hold, so that the fixes of different findings never contradict each other.
//!
//! A receiver walks one chain for mail from a host whose public (post-NAT) address is
//! P: P → its PTR → that name's A/AAAA must hold P → the HELO name must resolve →
//! the envelope domain's SPF must authorize P; and for mail to the host: MX → a name
//! (not a CNAME) → public addresses. Rules report each broken link; the fixes they
//! attach come from here, worked out for all links at once:
//!
//! 1. No external zone publishes an inventory host's inside address: each such record
//!    gets the NAT outside address instead (or is removed when there is none).
//! 2. The host's inventory name resolves to its public addresses: a CNAME there becomes
//!    A/AAAA records (`mail CNAME srv1` → `mail A P`), a missing address is added. The
//!    same for the domain's MX names the inventory lists, and for a HELO name the set
//!    holds.
//! 3. The PTR of P names a name that resolves to P (after step 2): a PTR that already
//!    confirms is kept; a wrong one is pointed at the host's name; a missing one added.
//! 4. SPF authorizes P: through the names of step 2 when `mx` or `a` then match,
//!    otherwise by an `ip4:`/`ip6:` term before `all`.
//!
//! Never proposed: a target whose addresses are all private or inside, a name under a
//! special-use or private suffix (unless a zone of the set holds it), a name the set is
//! authoritative for but does not hold.

use super::dns::SetDns;
use crate::fix::{Applicability, Edit, Fix};
use crate::inventory::{Inventory, View};
use crate::model::address::is_public;
use crate::model::index::{Answer, RecordRef, SetIndex};
use crate::model::special::non_public_outside;
use crate::model::zone::ZoneSet;
use crate::rr::RType;
use crate::rules::edits;
use std::collections::HashMap;
use std::net::IpAddr;

/// The planned fixes, by what they resolve.
#[derive(Default)]
pub struct MailPlan {
    /// By the record a fix changes.
    pub records: HashMap<RecordRef, Fix>,
    /// By name (absolute, lowercase): the fix that gives the name its public addresses.
    pub names: HashMap<String, Fix>,
    /// By public address: the fix that gives it a confirming PTR.
    pub ptrs: HashMap<IpAddr, Fix>,
    /// By public address: the name its PTR gives once the plan is applied (kept or
    /// chosen), for `generate ptr`.
    pub ptr_names: HashMap<IpAddr, String>,
    /// By (mail domain, public address): the fix that makes SPF authorize the address.
    pub spf: HashMap<(String, IpAddr), Fix>,
    /// Names and the addresses they will have once the plan is applied.
    pub after: HashMap<String, Vec<IpAddr>>,
    /// By host (its index in the inventory): what no DNS edit can mend.
    pub elsewhere: HashMap<usize, String>,
    /// Records of external zones that publish an inside address, in set order.
    pub inside: Vec<InsideRecord>,
}

/// A record of an external zone that publishes an inventory host's inside address.
pub struct InsideRecord {
    pub record: RecordRef,
    pub address: IpAddr,
    /// The NAT outside address the internet reaches it at, if the inventory maps it.
    pub outside: Option<IpAddr>,
    /// The host (its index in the inventory) the address belongs to.
    pub host: usize,
}

fn fix(title: String, edits: Vec<Edit>) -> Fix {
    // Insertions at one point become one edit: separate ones would overlap, and a fix
    // is applied whole or not at all.
    let mut merged: Vec<Edit> = Vec::with_capacity(edits.len());
    for e in edits {
        match merged.last_mut() {
            Some(last) if last.source == e.source && last.span == e.span && e.span.is_empty() => {
                last.content.push_str(&e.content);
            }
            _ => merged.push(e),
        }
    }
    Fix::new(Applicability::Unsafe, title, merged)
}

fn type_of(address: IpAddr) -> &'static str {
    if address.is_ipv4() { "A" } else { "AAAA" }
}

/// What the set's zones publish for the internet (not an internal view, origin known).
fn external(set: &ZoneSet, z: usize) -> bool {
    let zone = &set.zones[z];
    zone.view != View::Internal && zone.origin_source.is_known()
}

/// The public address a host's inside address is reached at (inbound mapping first,
/// then outbound), of the same family.
fn outside_of(inventory: &Inventory, address: IpAddr, allow_doc: bool) -> Option<IpAddr> {
    [false, true].into_iter().find_map(|outbound| {
        inventory
            .public_addresses(address, outbound)
            .into_iter()
            .map(|(a, _)| a)
            .find(|&a| a != address && a.is_ipv4() == address.is_ipv4() && is_public(a, allow_doc))
    })
}

/// Whether every label of `name` is a host-name label (a PTR target must be one).
pub fn host_name(name: &str) -> bool {
    name.trim_end_matches('.')
        .split('.')
        .all(|l| crate::rules::zone::zone014_target_not_host_name::is_host_label(l.as_bytes()))
}

/// `name` (absolute) relative to the origin of zone `z`, as an owner to write.
fn relative_owner(set: &ZoneSet, z: usize, name: &str) -> String {
    let origin = set.zones[z].origin_text();
    if name == origin {
        "@".into()
    } else {
        name.strip_suffix(&format!(".{origin}"))
            .unwrap_or(name)
            .to_string()
    }
}

struct Planner<'a> {
    set: &'a ZoneSet,
    indices: &'a SetIndex,
    inventory: &'a Inventory,
    allow_doc: bool,
    plan: MailPlan,
}

impl Planner<'_> {
    /// The addresses `name` has now, with step 1's replacements applied.
    fn current(&self, name: &str) -> Option<(Answer, Vec<IpAddr>)> {
        let answer = self.indices.resolve_text(self.set, name);
        let mut list = Vec::new();
        if let Answer::Addresses { zone, name: id } = answer {
            for (z, i) in self.indices.address_records(self.set, zone, id) {
                let zone = &self.set.zones[z];
                let Some(a) = zone.address(&zone.records[i]) else {
                    continue;
                };
                match self.plan.records.get(&(z, i)) {
                    Some(f) if f.edits.iter().all(|e| e.content.is_empty()) => {}
                    Some(_) => {
                        if let Some(p) = outside_of(self.inventory, a, self.allow_doc) {
                            list.push(p);
                        }
                    }
                    None => list.push(a),
                }
            }
        }
        Some((answer, list))
    }

    /// Step 1: records of external zones that publish an inventory host's inside
    /// address — any name's, since senders may reach the host through any of them — and
    /// private addresses of the hosts' own names. Each gets the NAT outside address;
    /// one without a mapping is reported, not deleted (the name might be left without
    /// an address).
    fn inside_addresses(&mut self) {
        let mut inside: HashMap<IpAddr, usize> = HashMap::new();
        for (k, host) in self.inventory.hosts.iter().enumerate() {
            for a in &host.addresses {
                if self.inventory.is_inside(a.address) || !is_public(a.address, self.allow_doc) {
                    inside.entry(a.address).or_insert(k);
                }
            }
        }
        let mut found: Vec<(RecordRef, IpAddr, usize)> = Vec::new();
        if !inside.is_empty() {
            for (z, zone) in self.set.zones.iter().enumerate() {
                if !external(self.set, z) {
                    continue;
                }
                for (i, r) in zone.records.iter().enumerate() {
                    if let Some(a) = zone.address(r)
                        && let Some(&k) = inside.get(&a)
                    {
                        found.push(((z, i), a, k));
                    }
                }
            }
        }
        for (k, host) in self.inventory.hosts.iter().enumerate() {
            let Answer::Addresses { zone, name } =
                self.indices.resolve_text_following(self.set, &host.name)
            else {
                continue;
            };
            for (z, i) in self.indices.address_records(self.set, zone, name) {
                let zone = &self.set.zones[z];
                if !external(self.set, z) || found.iter().any(|(r, _, _)| *r == (z, i)) {
                    continue;
                }
                if let Some(a) = zone.address(&zone.records[i])
                    && (self.inventory.is_inside(a) || !is_public(a, self.allow_doc))
                {
                    found.push(((z, i), a, k));
                }
            }
        }
        found.sort_unstable_by_key(|(r, _, _)| *r);
        for ((z, i), address, host) in found {
            let outside = outside_of(self.inventory, address, self.allow_doc);
            if let Some(p) = outside {
                let zone = &self.set.zones[z];
                let r = &zone.records[i];
                // A name that already publishes the outside address only loses the
                // inside one; rewriting it would duplicate the outside record.
                let has_outside = self.indices.zones[z].at(r.owner).iter().any(|&j| {
                    zone.records[j as usize].rtype == r.rtype
                        && zone.address(&zone.records[j as usize]) == Some(p)
                });
                let f = if has_outside {
                    edits::delete_record(
                        self.set,
                        zone,
                        r,
                        &format!("remove the inside address {address}: the name already publishes {p}, the address the internet reaches"),
                    )
                    .map(|mut f| {
                        f.applicability = f.applicability.min(Applicability::Unsafe);
                        f
                    })
                } else {
                    edits::fix_record(
                        r,
                        edits::replace_last_field(self.set, zone, r, &p.to_string()),
                        Applicability::Unsafe,
                        format!(
                            "publish {p}, the address the internet reaches, instead of the inside address {address}"
                        ),
                    )
                };
                if let Some(f) = f {
                    self.plan.records.insert((z, i), f);
                }
            }
            self.plan.inside.push(InsideRecord {
                record: (z, i),
                address,
                outside,
                host,
            });
        }
    }

    /// Step 2: gives `name` the addresses `publics`, unless it has them or cannot be
    /// edited (outside the set, delegated, or not a public name).
    fn give_addresses(&mut self, name: &str, publics: &[IpAddr]) -> bool {
        if publics.is_empty() || non_public_outside(self.set, name).is_some() {
            return false;
        }
        if let Some(planned) = self.plan.after.get(name) {
            return publics.iter().all(|p| planned.contains(p));
        }
        let Some((answer, now)) = self.current(name) else {
            return false;
        };
        let title = |what: &str| {
            format!(
                "{what} so that `{name}` resolves to {}",
                crate::rules::address_list(publics)
            )
        };
        let (f, after) = match answer {
            Answer::Cname((z, i)) if external(self.set, z) => {
                let zone = &self.set.zones[z];
                let r = &zone.records[i];
                let mut e = Vec::new();
                e.extend(edits::replace_type_and_data(
                    self.set,
                    zone,
                    r,
                    type_of(publics[0]),
                    &publics[0].to_string(),
                ));
                let owner = relative_owner(self.set, z, name);
                for p in &publics[1..] {
                    e.extend(edits::insert_record(
                        self.set,
                        zone,
                        Some(r),
                        (&owner, name),
                        type_of(*p),
                        &p.to_string(),
                    ));
                }
                if e.is_empty() {
                    return false;
                }
                let f = fix(
                    title(&format!("turn the CNAME of `{name}` into address records")),
                    e,
                );
                self.plan.records.insert((z, i), f.clone());
                (f, publics.to_vec())
            }
            Answer::Addresses { zone: z, name: id } if external(self.set, z) => {
                let records = self.indices.address_records(self.set, z, id);
                // Step 1's replacements of this name's inside addresses are part of
                // giving it the public ones.
                let mut e: Vec<Edit> = records
                    .iter()
                    .filter_map(|r| self.plan.records.get(r))
                    .flat_map(|f| f.edits.iter().cloned())
                    .collect();
                let replaced = !e.is_empty();
                let missing: Vec<IpAddr> = publics
                    .iter()
                    .copied()
                    .filter(|p| !now.contains(p))
                    .collect();
                if missing.is_empty() {
                    if replaced {
                        self.plan.names.insert(
                            name.to_string(),
                            fix(
                                title("publish the outside address instead of the inside one"),
                                e,
                            ),
                        );
                    }
                    self.plan.after.insert(name.to_string(), now);
                    return true;
                }
                let zone = &self.set.zones[z];
                let last = records.last().map(|&(_, i)| &zone.records[i]);
                let owner = relative_owner(self.set, z, name);
                let inserted: Vec<Edit> = missing
                    .iter()
                    .filter_map(|p| {
                        edits::insert_record(
                            self.set,
                            zone,
                            last,
                            (&owner, name),
                            type_of(*p),
                            &p.to_string(),
                        )
                    })
                    .collect();
                if inserted.is_empty() {
                    return false;
                }
                e.extend(inserted);
                let mut after = now.clone();
                after.extend(missing);
                (
                    fix(
                        title(if replaced {
                            "publish the outside address"
                        } else {
                            "add the public address"
                        }),
                        e,
                    ),
                    after,
                )
            }
            Answer::NoAddress => {
                let Some(z) = self.set.zone_for(name).filter(|&z| external(self.set, z)) else {
                    return false;
                };
                let zone = &self.set.zones[z];
                // Beside the zone's last address record of its own file, or its SOA.
                let near = zone
                    .records
                    .iter()
                    .enumerate()
                    .filter(|(i, r)| {
                        zone.source_of(*i) == zone.source
                            && matches!(r.rtype, RType::A | RType::AAAA)
                    })
                    .map(|(_, r)| r)
                    .next_back()
                    .or_else(|| zone.records.iter().find(|r| r.rtype == RType::SOA));
                let owner = relative_owner(self.set, z, name);
                let e: Vec<Edit> = publics
                    .iter()
                    .filter_map(|p| {
                        edits::insert_record(
                            self.set,
                            zone,
                            near,
                            (&owner, name),
                            type_of(*p),
                            &p.to_string(),
                        )
                    })
                    .collect();
                if e.is_empty() {
                    return false;
                }
                (fix(title("add address records"), e), publics.to_vec())
            }
            _ => return false,
        };
        self.plan.names.insert(name.to_string(), f);
        self.plan.after.insert(name.to_string(), after);
        true
    }

    /// Whether `name` resolves (now, or after the plan) to `address`, directly.
    fn confirms(&self, name: &str, address: IpAddr) -> bool {
        if let Some(after) = self.plan.after.get(name) {
            return after.contains(&address);
        }
        matches!(self.current(name), Some((Answer::Addresses { .. }, list)) if list.contains(&address))
    }

    /// Step 3: the PTR of `address` names a name that resolves back to it.
    fn ptr(&mut self, address: IpAddr, candidates: &[&str]) {
        let Some(z) = self.set.reverse_zone_for(address) else {
            return;
        };
        let existing: Vec<RecordRef> = self.indices.ptrs_for(self.set, address).collect();
        let target = |&(z, i): &RecordRef| {
            let zone = &self.set.zones[z];
            zone.target(&zone.records[i]).map(|t| zone.name(t))
        };
        if let Some(kept) = existing
            .iter()
            .filter_map(target)
            .find(|n| self.confirms(n, address))
        {
            self.plan.ptr_names.insert(address, kept);
            return;
        }
        // A name of the set must resolve back (after the plan); a public name outside
        // the set is taken on the inventory's word: it says the host is called that.
        let Some(name) = candidates
            .iter()
            .find(|n| {
                host_name(n)
                    && non_public_outside(self.set, n).is_none()
                    && self.confirms(n, address)
            })
            .or_else(|| {
                candidates.iter().find(|n| {
                    host_name(n)
                        && non_public_outside(self.set, n).is_none()
                        && self.indices.resolve_text(self.set, n) == Answer::OutOfSet
                })
            })
        else {
            return;
        };
        self.plan.ptr_names.insert(address, name.to_string());
        let f = match existing.first() {
            Some(&(pz, i)) => {
                let zone = &self.set.zones[pz];
                let r = &zone.records[i];
                edits::fix_record(
                    r,
                    edits::replace_last_field(self.set, zone, r, name),
                    Applicability::Unsafe,
                    format!("point the PTR of {address} at `{name}`, which resolves back to it"),
                )
                .map(|f| self.plan.with_name(f, name))
                .inspect(|f| {
                    self.plan.records.insert((pz, i), f.clone());
                })
            }
            None => {
                let zone = &self.set.zones[z];
                let before = self
                    .indices
                    .ptr_before(self.set, z, address)
                    .map(|(_, i)| &zone.records[i]);
                let owner = super::ptr_owner(self.set, z, address);
                let absolute = super::reverse_name(address);
                edits::insert_record(self.set, zone, before, (&owner, &absolute), "PTR", name).map(
                    |e| {
                        fix(
                            format!("add the PTR for {address}: `{owner} PTR {name}`"),
                            vec![e],
                        )
                    },
                )
            }
        };
        if let Some(f) = f {
            let f = self.plan.with_name(f, name);
            self.plan.ptrs.insert(address, f);
        }
    }

    /// Step 4: SPF of `domain` authorizes `address` (for a host known by `names`).
    fn spf(&mut self, domain: &str, address: IpAddr, helo: &str, chain: &[&str]) {
        let empty = HashMap::new();
        let now = SetDns {
            set: self.set,
            indices: self.indices,
            overlay: &empty,
        };
        let verdict = crate::spf::check_host(&now, address, domain, helo).verdict;
        if !matches!(
            verdict,
            crate::spf::Verdict::Fail | crate::spf::Verdict::SoftFail
        ) {
            return;
        }
        let later = SetDns {
            set: self.set,
            indices: self.indices,
            overlay: &self.plan.after,
        };
        let key = (domain.to_string(), address);
        if crate::spf::check_host(&later, address, domain, helo).verdict
            == crate::spf::Verdict::Pass
        {
            // The chain's own fixes make `mx` or `a` match.
            let mut edits: Vec<Edit> = Vec::new();
            let mut titles = Vec::new();
            let mut chain = chain.to_vec();
            chain.sort_unstable();
            chain.dedup();
            for name in chain {
                if let Some(f) = self.plan.names.get(name) {
                    edits.extend(f.edits.iter().cloned());
                    titles.push(f.title.clone());
                }
            }
            if !edits.is_empty() {
                self.plan.spf.insert(key, fix(titles.join("; "), edits));
            }
            return;
        }
        let Some((z, i)) = spf_record(self.set, self.indices, domain) else {
            return;
        };
        let zone = &self.set.zones[z];
        let term = match address {
            IpAddr::V4(a) => format!("ip4:{a}"),
            IpAddr::V6(a) => format!("ip6:{a}"),
        };
        if let Some(e) = edits::add_spf_term(self.set, zone, &zone.records[i], &term) {
            self.plan.spf.insert(
                key,
                fix(
                    format!("add `{term}` to the SPF record of `{domain}`, before its `all`"),
                    vec![e],
                ),
            );
        }
    }
}

/// The SPF record of `domain` in the set (the TXT record that starts `v=spf1`).
pub fn spf_record(set: &ZoneSet, indices: &SetIndex, domain: &str) -> Option<RecordRef> {
    let z = set.zone_for(domain)?;
    let zone = &set.zones[z];
    let id = zone.names.find_text(domain)?;
    indices.zones[z]
        .at(id)
        .iter()
        .map(|&i| (z, i as usize))
        .find(|&(z, i)| {
            let zone = &set.zones[z];
            let r = &zone.records[i];
            r.rtype == RType::TXT
                && r.flags & crate::model::zone::Record::SPF_TEXT != 0
                && crate::rules::rdata_text::fields(set, zone, r).is_some_and(|f| {
                    let text: Vec<u8> = f.concat();
                    crate::spf::is_spf(&String::from_utf8_lossy(&text))
                })
        })
}

impl MailPlan {
    /// Plans the fixes for every mail host of the set's inventory (none without one).
    pub fn build(set: &ZoneSet, indices: &SetIndex, allow_doc: bool) -> MailPlan {
        let Some((inventory, _)) = &set.inventory else {
            return MailPlan::default();
        };
        let mut p = Planner {
            set,
            indices,
            inventory,
            allow_doc,
            plan: MailPlan::default(),
        };
        p.inside_addresses();
        let public = |host: &crate::inventory::MailHost, outbound: bool| -> Vec<IpAddr> {
            let mut out: Vec<IpAddr> = Vec::new();
            for a in &host.addresses {
                for (x, _) in inventory.public_addresses(a.address, outbound) {
                    if is_public(x, allow_doc) && !out.contains(&x) {
                        out.push(x);
                    }
                }
            }
            out
        };
        for (k, host) in inventory.hosts.iter().enumerate() {
            let mut publics = public(host, host.outbound);
            for x in public(host, false) {
                if !publics.contains(&x) {
                    publics.push(x);
                }
            }
            if publics.is_empty() {
                p.plan.elsewhere.insert(
                    k,
                    format!("`{}` has no public address: map it through NAT (the inventory's `nat`) or give it one", host.name),
                );
                continue;
            }
            if let Some(why) = non_public_outside(set, &host.name) {
                p.plan.elsewhere.insert(
                    k,
                    format!(
                        "the host's name `{}` cannot be looked up on the internet: {why}",
                        host.name
                    ),
                );
                continue;
            }
            p.give_addresses(&host.name, &publics);
            if host.outbound && host.helo != host.name {
                let outbound = public(host, true);
                p.give_addresses(&host.helo, &outbound);
            }
        }
        // MX names the inventory lists: addresses, not aliases.
        for domain in &inventory.domains {
            for (mx, _, _) in &domain.mx {
                if p.plan.after.contains_key(mx) {
                    continue;
                }
                let Answer::Cname(_) = indices.resolve_text(set, mx) else {
                    continue;
                };
                let finals =
                    indices.answer_addresses(set, &indices.resolve_text_following(set, mx));
                let publics: Vec<IpAddr> = finals
                    .into_iter()
                    .filter_map(|a| {
                        if is_public(a, allow_doc) && !inventory.is_inside(a) {
                            Some(a)
                        } else {
                            outside_of(inventory, a, allow_doc)
                        }
                    })
                    .collect();
                p.give_addresses(mx, &publics);
            }
        }
        for host in inventory.hosts.iter().filter(|h| h.outbound) {
            let outbound = public(host, true);
            // The HELO name first, when it can be looked up: a PTR equal to it is what
            // receivers like best (MAIL003).
            let candidates: Vec<&str> =
                if super::mail009_helo_not_public::helo_problem(set, &host.helo).is_none() {
                    vec![&host.helo, &host.name]
                } else {
                    vec![&host.name]
                };
            for &address in &outbound {
                p.ptr(address, &candidates);
            }
            for domain in &inventory.domains {
                for &address in &outbound {
                    let mut chain: Vec<&str> = vec![&host.name];
                    chain.extend(domain.mx.iter().map(|(n, _, _)| n.as_str()));
                    p.spf(&domain.name, address, &host.helo, &chain);
                }
            }
        }
        p.plan
    }

    /// `f` together with the edits that give `name` its addresses, when the plan has
    /// them: a record pointed at `name` is only right once `name` is.
    pub fn with_name(&self, mut f: Fix, name: &str) -> Fix {
        if let Some(n) = self.names.get(name) {
            for e in &n.edits {
                if !f.edits.contains(e) {
                    f.edits.push(e.clone());
                }
            }
        }
        f
    }

    /// The fix for a record, if the plan changes it.
    pub fn record(&self, r: RecordRef) -> Option<Fix> {
        self.records.get(&r).cloned()
    }

    /// The fix that gives `name` its public addresses, if the plan has one.
    pub fn name(&self, name: &str) -> Option<Fix> {
        self.names.get(name).cloned()
    }

    /// The fix for PTR record `record` of `address`, naming `name`: the plan re-points
    /// it, or keeps it because `name` gets the address.
    pub fn ptr_record(&self, record: RecordRef, name: &str, address: IpAddr) -> Option<Fix> {
        self.record(record).or_else(|| {
            self.after
                .get(name)
                .filter(|after| after.contains(&address))
                .and_then(|_| self.name(name))
        })
    }

    /// The fix that gives `address` a PTR that resolves back, if the plan has one.
    pub fn ptr(&self, address: IpAddr) -> Option<Fix> {
        self.ptrs.get(&address).cloned()
    }

    /// The fix that makes the SPF record of `domain` authorize `address`.
    pub fn spf(&self, domain: &str, address: IpAddr) -> Option<Fix> {
        self.spf.get(&(domain.to_string(), address)).cloned()
    }
}

/// Whether `name` may be proposed as the new target of an MX or a PTR: a public name
/// (or one of the set) that has — once the plan's own fixes are applied, and directly,
/// not through an alias — at least one public address that is no inventory host's
/// inside address. A public name outside the set cannot be checked offline and is
/// allowed.
pub fn proposable(
    set: &ZoneSet,
    indices: &SetIndex,
    plan: &MailPlan,
    name: &str,
    allow_doc: bool,
) -> bool {
    if non_public_outside(set, name).is_some() {
        return false;
    }
    let inventory = set.inventory.as_ref().map(|(i, _)| i);
    let usable =
        |a: &IpAddr| is_public(*a, allow_doc) && !inventory.is_some_and(|i| i.is_inside(*a));
    if let Some(after) = plan.after.get(name) {
        return after.iter().any(usable);
    }
    match indices.resolve_text(set, name) {
        Answer::OutOfSet | Answer::Delegated => true,
        answer @ Answer::Addresses { .. } => {
            indices.answer_addresses(set, &answer).iter().any(usable)
        }
        Answer::Cname(_) | Answer::NoAddress => false,
    }
}
