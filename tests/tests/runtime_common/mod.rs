//! Shared helpers of the `runtime_*` tests: the scripted loopback server of
//! `test-support` and a few canned Seam responses.

#![allow(dead_code, unused_imports)] // each test binary uses a different subset

pub use test_support::loopback::{refused_url, Received, Reply, Server};

/// A minimal `{"devices":[],...}` list response.
pub const EMPTY_DEVICES: &str = r#"{"devices":[],"pagination":{"has_next_page":false,"next_page_cursor":null,"next_page_url":null},"ok":true}"#;

/// A pending UNLOCK_DOOR action attempt response.
pub const PENDING_UNLOCK: &str = r#"{"action_attempt":{"action_type":"UNLOCK_DOOR","action_attempt_id":"aa1","result":null,"error":null,"status":"pending"},"ok":true}"#;
