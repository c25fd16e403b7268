//! The one integration-test binary: runs the real `diagnoza` binary on fixture folders and the
//! bundled example. One module per area.

mod analysis;
mod architecture;
mod clerk;
mod common;
mod corpus;
mod foundation;
mod fuzz;
mod institutions;
mod interop;
mod paper;
mod programme;
mod report;
