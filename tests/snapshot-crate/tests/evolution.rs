//! What a caller wrote against one version of a spec still compiles, and still sends the same
//! request, against the next: `tests/schemas/evolution_v2.yaml` adds an optional request parameter
//! (also to a nested request object), response fields (also to a nested response object), an enum
//! value and an endpoint to `evolution_v1.yaml`. The same caller code is compiled once per version.

// The `_` arm of `describe` is there because the enum is `#[non_exhaustive]`; were it exhaustive, the
// arm would be unreachable in v1, which this makes an error.
#![deny(unreachable_patterns)]

use seam_snapshots::shim::{block_on, last_request, respond_with};
use serde_json::json;

/// A caller of the v1 API, written once, compiled against each version's module.
macro_rules! caller {
    ($version:ident) => {
        mod $version {
            use super::*;
            use seam_snapshots::$version::models::{
                Lock, LockMode, LocksCreateParams, LocksCreateParamsSchedule, LocksListParams,
            };
            use seam_snapshots::$version::Seam;

            /// What the caller does with a lock: reads fields, matches the enum (with the `_` arm
            /// a `#[non_exhaustive]` enum asks for).
            fn describe(lock: &Lock) -> String {
                let mode = match &lock.mode {
                    LockMode::Locked => "locked",
                    LockMode::Unlocked => "unlocked",
                    LockMode::Unknown => "unknown (as Seam says)",
                    LockMode::Unrecognized(other) => other.as_str(),
                    _ => "newer than this caller",
                };
                format!(
                    "{} {} {mode} online={}",
                    lock.device_id,
                    lock.name.as_deref().unwrap_or("-"),
                    lock.status.online
                )
            }

            pub fn run() -> (Vec<serde_json::Value>, Vec<String>) {
                let seam = Seam::new();
                let mut bodies = Vec::new();
                let mut seen = Vec::new();
                let lock = json!({
                    "device_id": "d1", "name": "Front", "mode": "jammed",
                    "battery_level": 0.5, "status": {"online": true, "signal": 3},
                });

                // The builder style.
                respond_with(json!({"lock": lock.clone(), "ok": true}));
                let created = block_on(
                    seam.locks()
                        .create("d1")
                        .name("Front")
                        .clear_ends_at()
                        .schedule(LocksCreateParamsSchedule::new("2030-01-01")),
                )
                .unwrap();
                bodies.push(last_request().unwrap().body);
                seen.push(describe(&created));

                // A params value built from data, field by field.
                let mut params = LocksCreateParams::new("d2");
                params.name = Some("Back".into());
                params.ends_at = Some(Some("2030-01-02".into()));
                respond_with(json!({"lock": lock.clone(), "ok": true}));
                let created = block_on(seam.locks().create_with(params)).unwrap();
                bodies.push(last_request().unwrap().body);
                seen.push(describe(&created));

                // Only optional parameters: `Default`, or no arguments at all.
                respond_with(json!({"locks": [lock.clone()], "ok": true}));
                let locks = block_on(seam.locks().list().limit(10)).unwrap();
                bodies.push(last_request().unwrap().body);
                seen.extend(locks.iter().map(describe));
                respond_with(json!({"locks": [], "ok": true}));
                block_on(seam.locks().list_with(LocksListParams::default())).unwrap();
                bodies.push(last_request().unwrap().body);

                // Responses decode from JSON (the way a caller's tests build them).
                let decoded: Lock = serde_json::from_value(lock).unwrap();
                seen.push(describe(&decoded));
                (bodies, seen)
            }
        }
    };
}

caller!(evolution_v1);
caller!(evolution_v2);

#[test]
fn a_caller_of_v1_compiles_and_sends_the_same_requests_against_v2() {
    let (v1_bodies, v1_seen) = evolution_v1::run();
    let (v2_bodies, v2_seen) = evolution_v2::run();
    assert_eq!(
        v1_bodies[0],
        json!({"device_id": "d1", "name": "Front", "ends_at": null, "schedule": {"starts_at": "2030-01-01"}})
    );
    assert_eq!(
        v1_bodies[1],
        json!({"device_id": "d2", "name": "Back", "ends_at": "2030-01-02"})
    );
    assert_eq!(v1_bodies[2], json!({"limit": 10}));
    assert_eq!(v1_bodies[3], json!({}));
    assert_eq!(v1_bodies, v2_bodies);
    // v1 does not know `jammed`: it is an unrecognized value, which the caller shows as is; v2
    // knows it, and the caller's `_` arm takes it.
    assert_eq!(v1_seen[0], "d1 Front jammed online=true");
    assert_eq!(v2_seen[0], "d1 Front newer than this caller online=true");
    assert_eq!(v1_seen.len(), v2_seen.len());
}
