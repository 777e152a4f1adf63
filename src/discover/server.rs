//! What the three configuration readers hand to discovery: the zones a server declares
//! and the files it includes, as written (server paths, not yet mapped onto the tree).

use crate::span::Span;

/// Which server's configuration a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Server {
    Bind,
    Knot,
    Nsd,
}

impl Server {
    pub fn name(self) -> &'static str {
        match self {
            Server::Bind => "BIND",
            Server::Knot => "Knot",
            Server::Nsd => "NSD",
        }
    }

    /// The server a configuration file belongs to, by its name.
    pub fn of_file(name: &str) -> Option<Server> {
        const BACKUPS: &[&str] = &[
            ".bak", ".orig", ".old", ".save", ".dist", ".sample", ".example", ".rpmnew",
            ".rpmsave", ".swp", "~",
        ];
        if BACKUPS.iter().any(|b| name.ends_with(b)) || name.contains(".dpkg-") {
            return None;
        }
        if name == "named.conf"
            || name.starts_with("named.conf.")
            || name == "named.rfc1912.zones"
            || (name.starts_with("named") && name.ends_with(".conf"))
        {
            Some(Server::Bind)
        } else if name.starts_with("knot") && name.ends_with(".conf") {
            Some(Server::Knot)
        } else if name.starts_with("nsd") && name.ends_with(".conf") {
            Some(Server::Nsd)
        } else {
            None
        }
    }
}

/// How a server uses a zone's file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Role {
    /// The server loads the file: it is what gets published.
    Primary,
    /// A copy transferred from another server; not this repository's to check.
    Secondary,
    /// Hints, forwarders, stubs, `in-view`: no zone data of its own.
    Other(String),
}

impl Role {
    /// BIND's `type` word.
    pub fn from_bind(kind: &str) -> Role {
        match kind {
            "master" | "primary" => Role::Primary,
            "slave" | "secondary" | "mirror" => Role::Secondary,
            other => Role::Other(other.to_string()),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Role::Primary => "primary".into(),
            Role::Secondary => "secondary".into(),
            Role::Other(k) => k.clone(),
        }
    }
}

/// A zone a configuration declares.
#[derive(Clone, Debug)]
pub struct Declared {
    /// The zone name as written (relative names are taken as absolute, as servers do).
    pub name: String,
    /// `IN` unless the configuration says otherwise (uppercase).
    pub class: Option<String>,
    pub role: Role,
    /// The file as written, after the server's `%` substitutions, and where it is said.
    pub file: Option<(String, Span)>,
    /// The directory relative file names are taken from (`directory`, `storage`,
    /// `zonesdir`), as the server would see it; `None` until the reader resolves it.
    pub base: Option<String>,
    pub view: Option<String>,
    /// The configuration source and the span of the zone's name in it.
    pub source: u32,
    pub span: Span,
}

/// An `include` of another configuration file.
#[derive(Clone, Debug)]
pub struct Include {
    pub raw: String,
    pub source: u32,
    pub span: Span,
    /// BIND: the view the include sits in, which its zones belong to.
    pub view: Option<String>,
}

/// Something in a configuration file that the reader could not make sense of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigProblem {
    pub span: Span,
    pub message: String,
}

impl ConfigProblem {
    pub fn new(span: Span, message: impl Into<String>) -> ConfigProblem {
        ConfigProblem {
            span,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_file_names() {
        for (name, server) in [
            ("named.conf", Some(Server::Bind)),
            ("named.conf.local", Some(Server::Bind)),
            ("named.conf.default-zones", Some(Server::Bind)),
            ("named-internal.conf", Some(Server::Bind)),
            ("named.rfc1912.zones", Some(Server::Bind)),
            ("named.conf.bak", None),
            ("named.conf.dpkg-dist", None),
            ("named.conf~", None),
            ("knot.conf", Some(Server::Knot)),
            ("knot-secondary.conf", Some(Server::Knot)),
            ("nsd.conf", Some(Server::Nsd)),
            ("nsd.conf.sample", None),
            ("resolv.conf", None),
            ("db.named", None),
        ] {
            assert_eq!(Server::of_file(name), server, "{name}");
        }
    }
}
