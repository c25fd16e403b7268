//! The one integration-test binary: runs the real `diagnoza` binary on fixture folders and the
//! bundled example. One module per area.

mod common;
mod foundation;
mod analysis;
