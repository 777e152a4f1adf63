//! From bytes to records: the lossless lexer, entry grouping, directives and the zone
//! parser with its recovery rules.

pub mod dollar_generate;
pub mod entries;
pub mod lexer;
pub mod parser;
pub mod split;
