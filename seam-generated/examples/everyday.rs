//! Six everyday tasks, as a new user would write them: list devices; unlock a lock and wait for it;
//! create, read, rename and delete a time-bound access code; a client session for `jane_doe` and a
//! client from a publishable key; the events since a date; telling a not-found from an
//! unauthorized error.
//!
//! ```sh
//! SEAM_API_KEY=seam_... SEAM_PUBLISHABLE_KEY=seam_pk... [SEAM_ENDPOINT=http://127.0.0.1:PORT] \
//!     cargo run --example everyday
//! ```
//!
//! `tests/tests/example_everyday.rs` runs [`run`] against Seam's fake server.
//!
//! The calls, next to Seam's JavaScript SDK (characters of each call as written, `await` and `?`
//! included, whitespace left out; the statements after a `// [n]` line below, without `let x =`;
//! `tests/tests/example_everyday.rs` counts them again):
//!
//! | task | JavaScript | chars | Rust | chars |
//! | --- | --- | --- | --- | --- |
//! | 1 | `await seam.devices.list()` | 24 | `seam.devices().list().await?` | 28 |
//! | 2 | `await seam.locks.unlockDoor({ device_id })` | 39 | `seam.locks().unlock_door(lock).await?` | 37 |
//! | 3 | `await seam.accessCodes.create({ device_id, name, code, starts_at, ends_at })` | 69 | `seam.access_codes().create(lock).name("Guest").code("4444").starts_at(t0).ends_at(t1).await?` | 92 |
//! | 3 | `await seam.accessCodes.update({ access_code_id, name })` | 51 | `seam.access_codes().update(id).name("Guest2").await?` | 52 |
//! | 3 | `await seam.accessCodes.get({ access_code_id })` | 43 | `seam.access_codes().get(id).await?` | 34 |
//! | 3 | `await seam.accessCodes.delete({ access_code_id })` | 46 | `seam.access_codes().delete(id).await?` | 37 |
//! | 4 | `await seam.clientSessions.create({ user_identifier_key: 'jane_doe' })` | 65 | `seam.client_sessions().create().user_identifier_key("jane_doe").await?` | 70 |
//! | 4 | `await SeamHttp.fromPublishableKey(key, 'jane_doe')` | 48 | `Seam::from_publishable_key(key,"jane_doe").await?` | 49 |
//! | 5 | `await seam.events.list({ since })` | 30 | `seam.events().list(EventsListParamsSelector::since(since)).await?` | 65 |
//! | | **total** | **415** | | **464 (1.12×)** |
//!
//! (`clientSessions.getOrCreate` has the same shape as `create`; Seam's fake server accepts it only
//! with a publishable key, so the example creates the session.)
//!
//! Task 6 is error handling, which the JavaScript SDK does with `instanceof` checks on the same
//! calls; here it is a `match` on [`seam_connect::Error`]'s helpers.

use std::time::{Duration, SystemTime};

use seam_connect::models::{self, EventsListParamsSelector};
use seam_connect::{Error, Seam};

/// What the tasks found.
#[derive(Debug, Default)]
pub struct Tour {
    /// Task 1: the devices' ids.
    pub device_ids: Vec<String>,
    /// Task 2: the unlock's action attempt status (`Success` once waited for).
    pub unlock_status: Option<models::ActionAttemptStatus>,
    /// Task 3: the access code's name after the rename, read back before the delete.
    pub renamed_code: String,
    /// Task 3: the access code's id.
    pub code_id: String,
    /// Task 4: the client session's user identifier key.
    pub session_user: String,
    /// Task 4: the devices the publishable-key client sees.
    pub publishable_devices: usize,
    /// Task 5: how many events happened since the date.
    pub events: usize,
    /// Task 6: the not-found error's type (`device_not_found`).
    pub not_found: String,
    /// Task 6: an unknown key was refused as unauthorized.
    pub unauthorized: bool,
}

/// Runs the six tasks with `seam` (an API key client) and the publishable key.
pub async fn run(seam: &Seam, key: &str) -> Result<Tour, Error> {
    let mut tour = Tour::default();

    // 1. List devices.
    // [1]
    let devices = seam.devices().list().await?;
    tour.device_ids = devices.iter().map(|d| d.device_id.clone()).collect();

    // 2. Unlock a lock and wait for the action attempt to finish.
    let lock = devices
        .iter()
        .find(|d| d.properties.locked.is_some())
        .map(|d| d.device_id.as_str())
        .ok_or_else(|| Error::Config("no lock in this workspace".into()))?;
    // [2]
    let attempt = seam.locks().unlock_door(lock).await?;
    tour.unlock_status = attempt.status();

    // 3. A time-bound access code: create, read, rename, delete.
    // Times are `SystemTime`s (or RFC 3339 text, or a time crate's type with its feature).
    let t0 = SystemTime::now() + Duration::from_secs(3_600);
    let t1 = t0 + Duration::from_secs(86_400);
    // [3]
    let code = seam
        .access_codes()
        .create(lock)
        .name("Guest")
        .code("4444")
        .starts_at(t0)
        .ends_at(t1)
        .await?;
    let id = code.access_code_id.as_str();
    // [3]
    seam.access_codes().update(id).name("Guest2").await?;
    // [3]
    let code = seam.access_codes().get(id).await?;
    tour.renamed_code = code.name.unwrap_or_default();
    // [3]
    seam.access_codes().delete(id).await?;
    tour.code_id = code.access_code_id;

    // 4. A client session for a user, and a client acting as that user from a publishable key.
    // [4]
    let session = seam
        .client_sessions()
        .create()
        .user_identifier_key("jane_doe")
        .await?;
    tour.session_user = session.user_identifier_key.unwrap_or_default();
    // [4]
    let jane = Seam::from_publishable_key(key, "jane_doe").await?;
    tour.publishable_devices = jane.devices().list().await?.len();

    // 5. Events since a date. The server requires `since` or `between`: the call takes which one.
    let since = "2020-01-01T00:00:00Z";
    // [5]
    let events = seam
        .events()
        .list(EventsListParamsSelector::since(since))
        .await?;
    tour.events = events.len();

    // 6. Errors: a device that does not exist, and a key the server does not know.
    match seam.devices().get("no_such_device").await {
        Err(e) if e.is_not_found() => tour.not_found = e.error_type().unwrap_or_default().into(),
        other => return Err(Error::Config(format!("expected not found, got {other:?}"))),
    }
    match Seam::new("seam_unknown_key")?.devices().list().await {
        Err(e) if e.is_unauthorized() => tour.unauthorized = true,
        other => {
            return Err(Error::Config(format!(
                "expected unauthorized, got {other:?}"
            )))
        }
    }
    Ok(tour)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // SEAM_API_KEY and SEAM_ENDPOINT (optional) configure the client.
    let seam = Seam::from_env()?;
    let key = std::env::var("SEAM_PUBLISHABLE_KEY")?;
    let tour = run(&seam, &key).await?;
    println!("{tour:#?}");
    Ok(())
}
