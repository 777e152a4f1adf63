//! Rules for reverse delegation: RFC 2317 classless children and their parents.

pub mod rev001_classless_cname;
