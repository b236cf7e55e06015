//! What the compiler refuses: calls that the server would refuse at run time do not compile.
//! Each refused call is beside the same call that compiles, so that the `compile_fail` block fails
//! for the reason it shows (a missing argument), not for a typo.
//!
//! `events/list` needs `since` or `between` (the fake: `Must specify either since or between`):
//!
//! ```no_run
//! # async fn f(seam: seam_connect::Seam) -> Result<(), seam_connect::Error> {
//! use seam_connect::models::EventsListParamsSelector;
//! let events = seam.events().list(EventsListParamsSelector::since("2026-01-01T00:00:00Z")).await?;
//! # let _ = events; Ok(()) }
//! ```
//!
//! ```compile_fail
//! # async fn f(seam: seam_connect::Seam) -> Result<(), seam_connect::Error> {
//! use seam_connect::models::EventsListParamsSelector;
//! let events = seam.events().list().await?;
//! # let _ = (events, EventsListParamsSelector::since("")); Ok(()) }
//! ```
//!
//! `devices/get` needs `device_id` or `name`; a string is the id:
//!
//! ```no_run
//! # async fn f(seam: seam_connect::Seam) -> Result<(), seam_connect::Error> {
//! let device = seam.devices().get("device_id").await?;
//! # let _ = device; Ok(()) }
//! ```
//!
//! ```compile_fail
//! # async fn f(seam: seam_connect::Seam) -> Result<(), seam_connect::Error> {
//! let device = seam.devices().get().await?;
//! # let _ = device; Ok(()) }
//! ```
//!
//! `access_codes/get` needs `access_code_id`, or `device_id` and `code`:
//!
//! ```no_run
//! # async fn f(seam: seam_connect::Seam, id: String) -> Result<(), seam_connect::Error> {
//! use seam_connect::models::AccessCodesGetParamsSelector;
//! let code = seam.access_codes().get(&id).await?;
//! let same = seam
//!     .access_codes()
//!     .get(AccessCodesGetParamsSelector::device_id_and_code("device_id", "1234"))
//!     .await?;
//! # let _ = (code, same); Ok(()) }
//! ```
//!
//! ```compile_fail
//! # async fn f(seam: seam_connect::Seam, id: String) -> Result<(), seam_connect::Error> {
//! let code = seam.access_codes().get().await?;
//! # let _ = (code, id); Ok(()) }
//! ```
