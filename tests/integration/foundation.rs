//! Integration tests of the foundation (reserved: `mod foundation;` in main.rs names this file;
//! the foundation's own tests land here when they are merged).
