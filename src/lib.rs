//! diagnoza: community needs-and-potential diagnosis surveys for Polish social-services centres
//! (CUS). The pipeline runs one way: template → ingest → store → analysis → chart/report →
//! output. See ARCHITECTURE.md.

pub mod analysis;
pub mod chart;
pub mod cmd;
pub mod diagnosis;
pub mod form;
pub mod ingest;
pub mod inventory;
pub mod issue;
pub mod lang;
pub mod output;
pub mod programme;
pub mod progress;
pub mod report;
pub mod response;
pub mod safe;
pub mod skeleton;
pub mod store;
pub mod synth;
pub mod template;
pub mod workspace;
