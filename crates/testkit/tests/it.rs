//! The API contract suite: every test runs on SQLite and on PostgreSQL
//! through real HTTP against a spawned server.

mod api;
