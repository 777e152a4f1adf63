//! The one integration test binary: modules by area.

mod cli;
mod common;
mod config;
mod convergence;
mod corpus;
mod discovery;
mod fix;
mod formats;
mod generate;
mod history;
mod hostile;
mod model;
mod roundtrip;
mod rules;
mod scale;
mod scenarios;
