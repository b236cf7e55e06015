//! Route-by-route proof of the generated SDK against Seam's own fake server
//! (`@seamapi/fake-seam-connect`, see `tests/fake/NOTES.md`).
//!
//! Every spec path the fake implements is called through the typed client and
//! the results are checked against what was sent or seeded, including state
//! changes visible in a following read.
//!
//! Lossless decoding: each scenario runs against two identically seeded
//! fakes. The typed client talks to the *primary*; every call is mirrored as
//! raw JSON (the request's params, serialized) to the *shadow*, whose raw body is
//! then decoded into the typed response model, re-encoded and compared (see
//! `seam_tests::lossless`). Ids are counters in the fake, so both stay in
//! step. (Replaying on the same fake is not possible: mutations would run
//! twice, and `PUT /_fake/database` can't restore a snapshot.)
//!
//! Everything runs from one `#[test]` so that the coverage count and the
//! unknown-field report are printed once, after all scenarios. Scenarios run
//! concurrently (each with its own pair of fakes); a failing scenario doesn't
//! stop the others. Run one scenario with `E2E_ONLY=<name substring>`.

// Deprecated endpoints (`devices.delete`, `locks.get`) and params
// (`connect_partner_name`) are exercised too: the fake still serves them.
#![allow(deprecated)]

use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use seam_connect::request::{Operation, Variant};
use seam_connect::{models, Request, Seam};
use seam_tests::lossless::{self, RawResponse};
use seam_tests::{seed, FakeSeam, API_KEY, PERSONAL_ACCESS_TOKEN, WORKSPACE_ID};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// Spec paths served by the pinned fake (`@seamapi/fake-seam-connect` 1.86.0),
/// from `tests/fake/NOTES.md` ("Served spec paths"), i.e. the fake's route
/// table (`grep -oE '^  "/api/[^"]*": \{' node_modules/@seamapi/fake-seam-connect/dist/chunk-*.js`)
/// minus `/_fake/*`, `/health*`, `/connect_webviews/view` and `/internal/*`.
/// Intersected with `openapi/seam-connect.yaml` at run time.
const FAKE_ROUTES: &[&str] = &[
    "/access_codes/create",
    "/access_codes/create_multiple",
    "/access_codes/delete",
    "/access_codes/generate_code",
    "/access_codes/get",
    "/access_codes/list",
    "/access_codes/pull_backup_access_code",
    "/access_codes/simulate/create_unmanaged_access_code",
    "/access_codes/unmanaged/list",
    "/access_codes/unmanaged/update",
    "/access_codes/update",
    "/acs/entrances/get",
    "/acs/entrances/grant_access",
    "/acs/entrances/list",
    "/acs/systems/get",
    "/acs/systems/list",
    "/acs/users/add_to_access_group",
    "/acs/users/create",
    "/acs/users/delete",
    "/acs/users/get",
    "/acs/users/list",
    "/acs/users/remove_from_access_group",
    "/acs/users/suspend",
    "/acs/users/unsuspend",
    "/acs/users/update",
    "/action_attempts/get",
    "/action_attempts/list",
    "/client_sessions/create",
    "/client_sessions/get",
    "/client_sessions/get_or_create",
    "/connect_webviews/create",
    "/connect_webviews/get",
    "/connect_webviews/list",
    "/connected_accounts/delete",
    "/connected_accounts/get",
    "/connected_accounts/list",
    "/connected_accounts/update",
    "/devices/delete",
    "/devices/get",
    "/devices/list",
    "/devices/list_device_providers",
    "/devices/unmanaged/get",
    "/devices/unmanaged/list",
    "/devices/unmanaged/update",
    "/devices/update",
    "/events/get",
    "/events/list",
    "/locks/get",
    "/locks/list",
    "/locks/lock_door",
    "/locks/unlock_door",
    "/noise_sensors/noise_thresholds/create",
    "/noise_sensors/noise_thresholds/delete",
    "/noise_sensors/noise_thresholds/get",
    "/noise_sensors/noise_thresholds/list",
    "/noise_sensors/noise_thresholds/update",
    "/seam/bridge/v1/bridge_client_sessions/create",
    "/seam/bridge/v1/bridge_client_sessions/get",
    "/seam/bridge/v1/bridge_client_sessions/regenerate_pairing_code",
    "/seam/bridge/v1/bridge_client_sessions/report_status",
    "/seam/bridge/v1/bridge_connected_systems/list",
    "/thermostats/cool",
    "/thermostats/heat",
    "/thermostats/heat_cool",
    "/thermostats/list",
    "/thermostats/off",
    "/thermostats/set_fan_mode",
    "/user_identities/add_acs_user",
    "/user_identities/create",
    "/webhooks/create",
    "/webhooks/delete",
    "/webhooks/get",
    "/webhooks/list",
    "/workspaces/create",
    "/workspaces/get",
    "/workspaces/list",
    "/workspaces/reset_sandbox",
];

/// Seeded bridge client session token (`GET /_fake/default_seed`).
const BRIDGE_CLIENT_SESSION_TOKEN: &str = "bcs1_token";
/// Seeded ACS system.
const ACS_SYSTEM_ID: &str = "visionline_acs_system_1";

/// How many scenarios (each with two node processes) run at once.
const CONCURRENCY: usize = 3;

// ---------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------

/// A pair of identically seeded fakes for one scenario, and the scenario's
/// recorded (non-fatal) failures.
struct Ctx {
    primary: FakeSeam,
    shadow: FakeSeam,
    failures: Arc<Mutex<Vec<String>>>,
}

impl Ctx {
    async fn start() -> Result<Ctx, String> {
        let a = tokio::task::spawn_blocking(FakeSeam::start);
        let b = tokio::task::spawn_blocking(FakeSeam::start);
        let primary = a.await.map_err(|e| e.to_string())??;
        let shadow = b.await.map_err(|e| e.to_string())??;
        Ok(Ctx {
            primary,
            shadow,
            failures: Arc::default(),
        })
    }

    /// A typed client on the primary using the API key `token`, whose calls
    /// are mirrored to the shadow with the same token.
    fn client(&self, token: &str) -> Client {
        self.client_as(Cred::ApiKey(token))
    }

    /// A typed client on the primary authenticating with `cred`, whose calls
    /// are mirrored to the shadow with the same headers.
    fn client_as(&self, cred: Cred<'_>) -> Client {
        let builder = Seam::builder();
        let (builder, token, workspace) = match cred {
            Cred::ApiKey(t) => (builder.api_key(t), t, None),
            Cred::Pat(t, Some(w)) => (builder.personal_access_token(t, w), t, Some(w)),
            Cred::Pat(t, None) => (builder.personal_access_token_without_workspace(t), t, None),
            Cred::Bridge(t) => (builder.bridge_client_session_token(t), t, None),
        };
        let seam = builder
            .endpoint(&self.primary.url)
            .max_retries(0)
            .timeout(Duration::from_secs(30))
            .build()
            .expect("build client");
        Client {
            seam,
            token: token.to_owned(),
            workspace: workspace.map(str::to_owned),
            shadow: self.shadow.addr(),
            failures: self.failures.clone(),
        }
    }

    /// POSTs a `/_fake/*` set-up request to both fakes; returns the primary's body.
    fn fake(&self, path: &str, body: Value) -> Value {
        assert!(path.starts_with("/_fake/"));
        let mut first = None;
        for addr in [self.primary.addr(), self.shadow.addr()] {
            let r = lossless::post_json(addr, path, None, &[], &body).expect(path);
            assert_eq!(r.status, 200, "{path} {body}: {}", r.text);
            first.get_or_insert(r.json.unwrap_or(Value::Null));
        }
        first.unwrap_or(Value::Null)
    }
}

/// How a test client authenticates.
#[derive(Clone, Copy)]
enum Cred<'a> {
    /// A workspace API key.
    ApiKey(&'a str),
    /// A personal access token, with the workspace it acts on (if any).
    Pat(&'a str, Option<&'a str>),
    /// A Seam Bridge client session token.
    Bridge(&'a str),
}

/// A typed client plus what's needed to mirror its calls raw.
struct Client {
    seam: Seam,
    /// Bearer token of the mirrored calls.
    token: String,
    /// `seam-workspace` header of the mirrored calls (PAT with workspace).
    workspace: Option<String>,
    shadow: SocketAddr,
    failures: Arc<Mutex<Vec<String>>>,
}

/// Result of [`Client::ok`]: the typed value if the typed call worked, and
/// the shadow's raw body in any case.
struct Out<T> {
    typed: Option<T>,
    raw: Value,
}

impl<T: Serialize> Out<T> {
    /// The result as JSON: the typed value re-encoded, or (when the typed call
    /// failed, which is already recorded as a failure) the raw payload, so the
    /// scenario can go on and exercise the remaining routes.
    fn v(&self) -> Value {
        match &self.typed {
            Some(t) => j(t),
            None => payload(&self.raw),
        }
    }
}

/// The raw body's payload: its only field besides `ok` and `pagination`.
fn payload(raw: &Value) -> Value {
    let fields: Vec<&Value> = raw
        .as_object()
        .map(|o| {
            o.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "ok" | "pagination"))
                .map(|(_, v)| v)
                .collect()
        })
        .unwrap_or_default();
    match fields.as_slice() {
        [one] => (*one).clone(),
        _ => Value::Null,
    }
}

/// A typed call the harness can run and mirror: a [`Request`] of any
/// endpoint, plain or `.with_action_attempt()`.
trait Call<T>: IntoFuture<Output = seam_connect::Result<T>> {
    /// The request's params as JSON: the body the SDK sends.
    fn params_json(&self) -> Value;
}

impl<O, V, T> Call<T> for Request<O, V>
where
    O: Operation<Params: Serialize>,
    V: Variant,
    Request<O, V>: IntoFuture<Output = seam_connect::Result<T>>,
{
    fn params_json(&self) -> Value {
        serde_json::to_value(self.params()).expect("params serialize")
    }
}

impl Client {
    fn fail(&self, msg: String) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(msg);
    }

    /// Runs the typed `request` (for `route`), mirrors its params raw to the
    /// shadow and runs the lossless check with the response model `R`.
    /// Returns the typed result, the shadow's response, the check's outcome
    /// and the params as sent.
    async fn call<R, T>(
        &self,
        route: &str,
        request: impl Call<T>,
    ) -> (
        seam_connect::Result<T>,
        RawResponse,
        Result<(), String>,
        Value,
    )
    where
        R: DeserializeOwned + Serialize,
    {
        lossless::record_route(route);
        let body = request.params_json();
        let typed = request.await;
        let headers: Vec<(&str, &str)> = self
            .workspace
            .iter()
            .map(|w| ("seam-workspace", w.as_str()))
            .collect();
        let raw = lossless::post_json(self.shadow, route, Some(&self.token), &headers, &body)
            .unwrap_or_else(|e| panic!("raw {route}: {e}"));
        let check = match (&raw.json, raw.status) {
            (Some(v), 200) => lossless::check::<R>(route, v).map(drop),
            _ => Ok(()),
        };
        (typed, raw, check, body)
    }

    /// A call expected to succeed and to decode losslessly into `R`. Failures
    /// are recorded (with the JSON path of any decode failure) and the raw
    /// body is returned so the scenario can continue.
    async fn ok<R, T>(&self, route: &str, request: impl Call<T>) -> Out<T>
    where
        R: DeserializeOwned + Serialize,
    {
        let (typed, raw, check, params) = self.call::<R, T>(route, request).await;
        let raw_json = raw.json.clone().unwrap_or(Value::Null);
        if raw.status != 200 {
            self.fail(format!(
                "{route} {params}: the mirrored raw call got {}: {}",
                raw.status, raw.text
            ));
        }
        if let Err(e) = &check {
            self.fail(e.clone());
        }
        match typed {
            Ok(v) => Out {
                typed: Some(v),
                raw: raw_json,
            },
            Err(e) => {
                self.fail(format!("{route} {params}: typed call failed: {e}"));
                Out {
                    typed: None,
                    raw: raw_json,
                }
            }
        }
    }

    /// A call expected to fail with `status` and `error_type`; mismatches are
    /// recorded.
    async fn err<T: std::fmt::Debug>(
        &self,
        route: &str,
        status: u16,
        error_type: &str,
        request: impl Call<T>,
    ) {
        let (typed, raw, _, params) = self.call::<Value, T>(route, request).await;
        match typed {
            Ok(v) => self.fail(format!(
                "{route} {params}: expected {status} {error_type}, got Ok({v:?})"
            )),
            Err(e) => match e.as_api() {
                Some(api) if (api.status, api.error_type.as_str()) == (status, error_type) => {
                    assert!(status != 404 || e.is_not_found());
                }
                _ => self.fail(format!(
                    "{route} {params}: expected {status} {error_type}, got {e}"
                )),
            },
        }
        if raw.status != status {
            self.fail(format!(
                "{route} {params}: mirrored raw call: expected {status}, got {}: {}",
                raw.status, raw.text
            ));
        }
    }
}

/// A typed value as JSON, for assertions that don't depend on the exact
/// shape of generated types (enums of action attempts, events, ...).
fn j<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("serialize typed value")
}

/// The `key` of every item of a JSON array.
fn ids(items: &Value, key: &str) -> Vec<String> {
    items
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| i[key].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The string at `v[key]` (panics if absent).
fn id(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("no string `{key}` in {v}"))
        .to_owned()
}

type Scenario = fn(Arc<Ctx>) -> Pin<Box<dyn Future<Output = ()> + Send>>;

macro_rules! scenarios {
    ($($name:ident),* $(,)?) => {
        &[$((stringify!($name), |ctx| Box::pin($name(ctx)))),*]
    };
}

const SCENARIOS: &[(&str, Scenario)] = scenarios![
    access_codes_lifecycle,
    access_codes_bulk_and_unmanaged,
    devices,
    locks_and_action_attempts,
    thermostats,
    connected_accounts,
    client_sessions,
    connect_webviews,
    events,
    noise_thresholds,
    acs_systems_and_entrances,
    acs_users,
    user_identities,
    webhooks,
    workspaces,
    bridge,
];

/// Runs one scenario on fresh fakes; `Err` lists its failures.
async fn run(scenario: Scenario) -> Result<(), String> {
    let ctx = Arc::new(Ctx::start().await?);
    // The inner task isolates panics (assertion failures).
    let outcome = tokio::spawn(scenario(ctx.clone())).await;
    let mut failures = ctx
        .failures
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    if let Err(e) = outcome {
        failures.push(match e.try_into_panic() {
            Ok(p) => p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .map(|m| format!("stopped by a panic: {m}"))
                .unwrap_or_else(|| "panic".into()),
            Err(e) => e.to_string(),
        });
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("\n  - {}", failures.join("\n  - ")))
    }
}

#[test]
fn e2e_routes() {
    let started = Instant::now();
    let only = std::env::var("E2E_ONLY").ok();
    let selected: Vec<(&str, Scenario)> = SCENARIOS
        .iter()
        .copied()
        .filter(|(name, _)| only.as_deref().is_none_or(|o| name.contains(o)))
        .collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let results: Vec<(&str, Result<(), String>, Duration)> = runtime.block_on(async {
        let permits = Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
        let handles: Vec<_> = selected
            .iter()
            .map(|&(name, scenario)| {
                let permits = permits.clone();
                let handle = tokio::spawn(async move {
                    let _permit = permits.acquire_owned().await.expect("semaphore");
                    let t = Instant::now();
                    (run(scenario).await, t.elapsed())
                });
                (name, handle)
            })
            .collect();
        let mut results = Vec::new();
        for (name, handle) in handles {
            let (outcome, took) = handle.await.expect("scenario task");
            results.push((name, outcome, took));
        }
        results
    });

    println!("\n==== e2e scenarios ====");
    for (name, outcome, took) in &results {
        match outcome {
            Ok(()) => println!("ok     {name} ({:.1}s)", took.as_secs_f64()),
            Err(e) => println!("FAILED {name} ({:.1}s): {e}", took.as_secs_f64()),
        }
    }

    // Coverage: the fake's routes ∩ the spec's paths vs. what we called.
    let spec = lossless::spec_paths(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../openapi/seam-connect.yaml"
        ))
        .expect("read openapi/seam-connect.yaml"),
    );
    let served: Vec<&str> = FAKE_ROUTES
        .iter()
        .copied()
        .filter(|r| spec.contains(*r))
        .collect();
    let exercised = lossless::exercised_routes();
    let missing: Vec<&str> = served
        .iter()
        .copied()
        .filter(|r| !exercised.contains(*r))
        .collect();
    let not_in_spec: Vec<&str> = FAKE_ROUTES
        .iter()
        .copied()
        .filter(|r| !spec.contains(*r))
        .collect();
    println!("\n==== lossless decoding ====\n{}", lossless::report());
    println!(
        "==== coverage ====\nfake implements {} spec paths, suite exercised {}",
        served.len(),
        served.len() - missing.len()
    );
    if !missing.is_empty() {
        println!("not exercised: {missing:?}");
    }
    if !not_in_spec.is_empty() {
        println!("listed fake routes no longer in the spec: {not_in_spec:?}");
    }
    println!("total {:.1}s", started.elapsed().as_secs_f64());

    let failed: Vec<String> = results
        .iter()
        .filter_map(|(name, outcome, _)| outcome.as_ref().err().map(|e| format!("{name}: {e}")))
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} scenarios failed:\n{}",
        failed.len(),
        results.len(),
        failed.join("\n")
    );
    if only.is_none() {
        assert!(
            missing.is_empty(),
            "fake implements {} spec paths, suite exercised {}; missing {missing:?}",
            served.len(),
            served.len() - missing.len()
        );
    }
}

// ---------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------

async fn access_codes_lifecycle(ctx: Arc<Ctx>) {
    let c = ctx.client(API_KEY);
    let code = c
        .ok::<models::AccessCodesCreateResponse, _>(
            "/access_codes/create",
            c.seam
                .access_codes()
                .create(seed::AUGUST_DEVICE_1)
                .code("1234")
                .name("Front door"),
        )
        .await
        .v();
    assert_eq!(code["device_id"], seed::AUGUST_DEVICE_1);
    assert_eq!(code["code"], "1234");
    assert_eq!(code["name"], "Front door");
    assert_eq!(code["is_managed"], true);
    let id = id(&code, "access_code_id");

    let get = c.seam.access_codes().get(&id);
    let got = c
        .ok::<models::AccessCodesGetResponse, _>("/access_codes/get", get.clone())
        .await
        .v();
    assert_eq!(got["access_code_id"], id.as_str());
    assert_eq!(got["name"], "Front door");

    let codes = c
        .ok::<models::AccessCodesListResponse, _>(
            "/access_codes/list",
            c.seam.access_codes().list(seed::AUGUST_DEVICE_1),
        )
        .await
        .v();
    assert_eq!(ids(&codes, "access_code_id"), vec![id.clone()]);

    c.ok::<models::AccessCodesUpdateResponse, _>(
        "/access_codes/update",
        c.seam
            .access_codes()
            .update(&id)
            .name("Back door")
            .code("5678"),
    )
    .await;
    let got = c
        .ok::<models::AccessCodesGetResponse, _>("/access_codes/get", get.clone())
        .await
        .v();
    assert_eq!(got["name"], "Back door");
    assert_eq!(got["code"], "5678");

    // Only time-bound codes have backups.
    c.err(
        "/access_codes/pull_backup_access_code",
        400,
        "access_code_not_time_bound",
        c.seam.access_codes().pull_backup_access_code(&id),
    )
    .await;

    c.ok::<models::AccessCodesDeleteResponse, _>(
        "/access_codes/delete",
        c.seam.access_codes().delete(&id),
    )
    .await;
    // The fake answers `not_found` (the real API: `access_code_not_found`).
    c.err("/access_codes/get", 404, "not_found", get).await;
}

async fn access_codes_bulk_and_unmanaged(ctx: Arc<Ctx>) {
    let c = ctx.client(API_KEY);
    let generated = c
        .ok::<models::AccessCodesGenerateCodeResponse, _>(
            "/access_codes/generate_code",
            c.seam.access_codes().generate_code(seed::AUGUST_DEVICE_1),
        )
        .await
        .v();
    let g = generated.clone();
    assert_eq!(g["device_id"], seed::AUGUST_DEVICE_1);
    assert!(
        g["code"].as_str().is_some_and(|c| c.len() >= 4),
        "generated code: {g}"
    );

    let codes = c
        .ok::<models::AccessCodesCreateMultipleResponse, _>(
            "/access_codes/create_multiple",
            c.seam
                .access_codes()
                .create_multiple([seed::AUGUST_DEVICE_1, seed::AUGUST_DEVICE_2])
                .name("Cleaner"),
        )
        .await
        .v();
    assert_eq!(
        ids(&codes, "device_id"),
        vec![seed::AUGUST_DEVICE_1, seed::AUGUST_DEVICE_2]
    );
    assert_eq!(
        codes[0]["code"], codes[1]["code"],
        "one code shared by all devices"
    );
    assert!(codes[0]["common_code_key"].is_string());
    assert_eq!(codes[0]["common_code_key"], codes[1]["common_code_key"]);

    // Required params in constructor order (ids first, then by name): device_id, code, name.
    let unmanaged = c
        .ok::<models::AccessCodesSimulateCreateUnmanagedAccessCodeResponse, _>(
            "/access_codes/simulate/create_unmanaged_access_code",
            c.seam
                .access_codes()
                .simulate()
                .create_unmanaged_access_code(seed::AUGUST_DEVICE_2, "4321", "Legacy"),
        )
        .await
        .v();
    let u = unmanaged.clone();
    assert_eq!(u["code"], "4321");
    assert_eq!(u["name"], "Legacy");
    assert_eq!(u["is_managed"], false);
    let unmanaged_id = u["access_code_id"].as_str().expect("id").to_owned();

    let ulist = c
        .seam
        .access_codes()
        .unmanaged()
        .list(seed::AUGUST_DEVICE_2);
    let listed = c
        .ok::<models::AccessCodesUnmanagedListResponse, _>(
            "/access_codes/unmanaged/list",
            ulist.clone(),
        )
        .await
        .v();
    assert_eq!(ids(&listed, "access_code_id"), vec![unmanaged_id.clone()]);

    // Converting it to managed moves it to the managed list.
    c.ok::<models::AccessCodesUnmanagedUpdateResponse, _>(
        "/access_codes/unmanaged/update",
        c.seam
            .access_codes()
            .unmanaged()
            .update(&unmanaged_id, true),
    )
    .await;
    let listed = c
        .ok::<models::AccessCodesUnmanagedListResponse, _>("/access_codes/unmanaged/list", ulist)
        .await
        .v();
    assert!(
        listed.as_array().is_some_and(Vec::is_empty),
        "still unmanaged: {:?}",
        listed
    );
    let managed = c
        .ok::<models::AccessCodesListResponse, _>(
            "/access_codes/list",
            c.seam.access_codes().list(seed::AUGUST_DEVICE_2),
        )
        .await
        .v();
    assert!(
        ids(&managed, "access_code_id").contains(&unmanaged_id),
        "{:?}",
        ids(&managed, "access_code_id")
    );
}

async fn devices(ctx: Arc<Ctx>) {
    let c = ctx.client(API_KEY);
    let devices = c
        .ok::<models::DevicesListResponse, _>("/devices/list", c.seam.devices().list())
        .await
        .v();
    assert_eq!(
        ids(&devices, "device_id"),
        vec![
            seed::AUGUST_DEVICE_1,
            seed::AUGUST_DEVICE_2,
            seed::ECOBEE_DEVICE_1,
            seed::MINUT_DEVICE_1,
            seed::SCHLAGE_DEVICE_ID
        ]
    );
    let janes = c
        .ok::<models::DevicesListResponse, _>(
            "/devices/list",
            c.seam
                .devices()
                .list()
                .connected_account_id(seed::JANE_CONNECTED_ACCOUNT_ID),
        )
        .await
        .v();
    assert_eq!(ids(&janes, "device_id"), vec![seed::SCHLAGE_DEVICE_ID]);

    let get = c.seam.devices().get(seed::AUGUST_DEVICE_1);
    let device = c
        .ok::<models::DevicesGetResponse, _>("/devices/get", get.clone())
        .await
        .v();
    let d = device.clone();
    assert_eq!(d["device_id"], seed::AUGUST_DEVICE_1);
    assert_eq!(d["device_type"], "august_lock");
    assert_eq!(d["connected_account_id"], seed::JOHN_CONNECTED_ACCOUNT_ID);
    assert_eq!(d["workspace_id"], WORKSPACE_ID);

    c.ok::<models::DevicesUpdateResponse, _>(
        "/devices/update",
        c.seam
            .devices()
            .update(seed::AUGUST_DEVICE_1)
            .name("Porch lock"),
    )
    .await;
    let device = c
        .ok::<models::DevicesGetResponse, _>("/devices/get", get)
        .await
        .v();
    assert_eq!(device["properties"]["name"], "Porch lock");

    // Unmanage august_device_2: it moves to the unmanaged list.
    c.ok::<models::DevicesUpdateResponse, _>(
        "/devices/update",
        c.seam
            .devices()
            .update(seed::AUGUST_DEVICE_2)
            .is_managed(false),
    )
    .await;
    let ulist = c.seam.devices().unmanaged().list();
    let unmanaged = c
        .ok::<models::DevicesUnmanagedListResponse, _>("/devices/unmanaged/list", ulist.clone())
        .await
        .v();
    assert_eq!(ids(&unmanaged, "device_id"), vec![seed::AUGUST_DEVICE_2]);
    let u = c
        .ok::<models::DevicesUnmanagedGetResponse, _>(
            "/devices/unmanaged/get",
            c.seam.devices().unmanaged().get(seed::AUGUST_DEVICE_2),
        )
        .await
        .v();
    assert_eq!(u["device_id"], seed::AUGUST_DEVICE_2);
    assert_eq!(u["is_managed"], false);
    c.ok::<models::DevicesUnmanagedUpdateResponse, _>(
        "/devices/unmanaged/update",
        c.seam
            .devices()
            .unmanaged()
            .update(seed::AUGUST_DEVICE_2)
            .is_managed(true),
    )
    .await;
    let unmanaged = c
        .ok::<models::DevicesUnmanagedListResponse, _>("/devices/unmanaged/list", ulist)
        .await
        .v();
    assert!(unmanaged.as_array().is_some_and(Vec::is_empty));

    let providers = c
        .ok::<models::DevicesListDeviceProvidersResponse, _>(
            "/devices/list_device_providers",
            c.seam.devices().list_device_providers(),
        )
        .await
        .v();
    assert!(
        ids(&providers, "device_provider_name").contains(&"august".to_owned()),
        "{:?}",
        ids(&providers, "device_provider_name")
    );

    c.ok::<models::DevicesDeleteResponse, _>(
        "/devices/delete",
        c.seam.devices().delete(seed::AUGUST_DEVICE_2),
    )
    .await;
    c.err(
        "/devices/get",
        404,
        "device_not_found",
        c.seam.devices().get(seed::AUGUST_DEVICE_2),
    )
    .await;
}

/// Checks an action attempt's type, status and id as JSON.
fn assert_attempt(attempt: &Value, action_type: &str, status: &str) -> String {
    assert_eq!(attempt["action_type"], action_type, "{attempt}");
    assert_eq!(attempt["status"], status, "{attempt}");
    attempt["action_attempt_id"]
        .as_str()
        .expect("action_attempt_id")
        .to_owned()
}

async fn locks_and_action_attempts(ctx: Arc<Ctx>) {
    let c = ctx.client(API_KEY);
    let locks = c
        .ok::<models::LocksListResponse, _>("/locks/list", c.seam.locks().list())
        .await
        .v();
    assert_eq!(
        ids(&locks, "device_id"),
        vec![
            seed::AUGUST_DEVICE_1,
            seed::AUGUST_DEVICE_2,
            seed::SCHLAGE_DEVICE_ID
        ]
    );
    let lock = c
        .ok::<models::LocksGetResponse, _>(
            "/locks/get",
            c.seam.locks().get(seed::SCHLAGE_DEVICE_ID),
        )
        .await
        .v();
    assert_eq!(lock["device_type"], "schlage_lock");

    // By default the SDK waits for the action attempt: the fake performs the
    // unlock at once, so the call returns the finished (successful) attempt.
    let attempt = c
        .ok::<models::LocksUnlockDoorResponse, _>(
            "/locks/unlock_door",
            c.seam.locks().unlock_door(seed::AUGUST_DEVICE_1),
        )
        .await
        .v();
    let unlock_id = assert_attempt(&attempt, "UNLOCK_DOOR", "success");
    assert_eq!(attempt["error"], Value::Null, "{attempt}");

    // Without waiting, the call returns the attempt as the API answered it
    // (`pending`), which the fake-only route then moves on.
    let attempt = c
        .ok::<models::LocksLockDoorResponse, _>(
            "/locks/lock_door",
            c.seam
                .locks()
                .lock_door(seed::AUGUST_DEVICE_1)
                .wait_for_action_attempt(false),
        )
        .await
        .v();
    let lock_id = assert_attempt(&attempt, "LOCK_DOOR", "pending");
    assert_ne!(unlock_id, lock_id);

    // Completing the attempt (fake-only route) is visible in a following read.
    ctx.fake(
        "/_fake/update_action_attempt",
        json!({"action_attempt_id": lock_id, "status": "success", "result": {}}),
    );
    let attempt = c
        .ok::<models::ActionAttemptsGetResponse, _>(
            "/action_attempts/get",
            c.seam.action_attempts().get(&lock_id),
        )
        .await
        .v();
    assert_eq!(assert_attempt(&attempt, "LOCK_DOOR", "success"), lock_id);

    ctx.fake(
        "/_fake/update_action_attempt",
        json!({"action_attempt_id": lock_id, "status": "error",
               "error": {"type": "failed", "message": "jammed"}}),
    );
    let attempts = c
        .ok::<models::ActionAttemptsListResponse, _>(
            "/action_attempts/list",
            c.seam.action_attempts().list(
                models::ActionAttemptsListParamsSelector::action_attempt_ids([
                    &unlock_id, &lock_id,
                ]),
            ),
        )
        .await
        .v();
    let attempts = attempts.as_array().cloned().unwrap_or_default();
    assert_eq!(attempts.len(), 2, "{attempts:?}");
    let unlocked = attempts
        .iter()
        .find(|a| a["action_attempt_id"] == unlock_id.as_str())
        .expect("unlock attempt listed");
    assert_attempt(unlocked, "UNLOCK_DOOR", "success");
    let failed = attempts
        .iter()
        .find(|a| a["action_attempt_id"] == lock_id.as_str())
        .expect("lock attempt listed");
    assert_attempt(failed, "LOCK_DOOR", "error");
    assert_eq!(failed["error"]["message"], "jammed");
}

async fn thermostats(ctx: Arc<Ctx>) {
    let c = ctx.client(API_KEY);
    let out = c
        .ok::<models::ThermostatsListResponse, _>("/thermostats/list", c.seam.thermostats().list())
        .await;
    let (thermostats, thermostats_raw) = (out.v(), out.raw);
    // The SDK returns the spec's `x-response-key` (`devices`); the fake only
    // sends `thermostats`. Recorded (not fatal) so the actions below still run.
    if ids(&thermostats, "device_id") != vec![seed::ECOBEE_DEVICE_1] {
        c.fail(format!(
            "/thermostats/list: typed result {:?}, expected [\"{}\"] (the fake sent `thermostats`: {:?})",
            ids(&thermostats, "device_id"),
            seed::ECOBEE_DEVICE_1,
            ids(&thermostats_raw["thermostats"], "device_id"),
        ));
    }
    let device = seed::ECOBEE_DEVICE_1;
    // The SDK waits for each action attempt; the fake finishes them at once.
    let mut attempt_ids = Vec::new();

    let a = c
        .ok::<models::ThermostatsCoolResponse, _>(
            "/thermostats/cool",
            c.seam
                .thermostats()
                .cool(device)
                .cooling_set_point_celsius(24.0),
        )
        .await
        .v();
    attempt_ids.push(assert_attempt(&a, "SET_COOL", "success"));

    let a = c
        .ok::<models::ThermostatsHeatResponse, _>(
            "/thermostats/heat",
            c.seam
                .thermostats()
                .heat(device)
                .heating_set_point_celsius(20.0),
        )
        .await
        .v();
    attempt_ids.push(assert_attempt(&a, "SET_HEAT", "success"));

    let a = c
        .ok::<models::ThermostatsHeatCoolResponse, _>(
            "/thermostats/heat_cool",
            c.seam
                .thermostats()
                .heat_cool(device)
                .heating_set_point_celsius(19.0)
                .cooling_set_point_celsius(25.0),
        )
        .await
        .v();
    attempt_ids.push(assert_attempt(&a, "SET_HEAT_COOL", "success"));

    let a = c
        .ok::<models::ThermostatsOffResponse, _>(
            "/thermostats/off",
            c.seam.thermostats().off(device),
        )
        .await
        .v();
    attempt_ids.push(assert_attempt(&a, "SET_THERMOSTAT_OFF", "success"));

    // Without waiting, the attempt comes back as the API answered it.
    let a = c
        .ok::<models::ThermostatsSetFanModeResponse, _>(
            "/thermostats/set_fan_mode",
            c.seam
                .thermostats()
                .set_fan_mode(device)
                .fan_mode_setting(models::ThermostatsSetFanModeParamsFanModeSetting::On)
                .wait_for_action_attempt(false),
        )
        .await
        .v();
    attempt_ids.push(assert_attempt(&a, "SET_FAN_MODE", "pending"));
    attempt_ids.sort();
    attempt_ids.dedup();
    assert_eq!(
        attempt_ids.len(),
        5,
        "attempt ids must differ: {attempt_ids:?}"
    );
}

async fn connected_accounts(ctx: Arc<Ctx>) {
    let c = ctx.client(API_KEY);
    let accounts = c
        .ok::<models::ConnectedAccountsListResponse, _>(
            "/connected_accounts/list",
            c.seam.connected_accounts().list(),
        )
        .await
        .v();
    assert_eq!(
        ids(&accounts, "connected_account_id"),
        vec![
            seed::JOHN_CONNECTED_ACCOUNT_ID,
            seed::JANE_CONNECTED_ACCOUNT_ID,
            "john_assa_cs_connected_account_id"
        ]
    );

    let by_id =
        c.seam
            .connected_accounts()
            .get(models::ConnectedAccountsGetParams::ConnectedAccountId {
                connected_account_id: seed::JANE_CONNECTED_ACCOUNT_ID.into(),
            });
    let jane = c
        .ok::<models::ConnectedAccountsGetResponse, _>("/connected_accounts/get", by_id.clone())
        .await
        .v();
    let v = jane.clone();
    assert_eq!(v["connected_account_id"], seed::JANE_CONNECTED_ACCOUNT_ID);
    assert_eq!(v["user_identifier"]["email"], seed::JANE_EMAIL);
    assert_eq!(v["automatically_manage_new_devices"], true);

    let john = c
        .ok::<models::ConnectedAccountsGetResponse, _>(
            "/connected_accounts/get",
            c.seam
                .connected_accounts()
                .get(models::ConnectedAccountsGetParams::Email {
                    email: seed::JOHN_EMAIL.into(),
                }),
        )
        .await
        .v();
    assert_eq!(
        john["connected_account_id"],
        seed::JOHN_CONNECTED_ACCOUNT_ID
    );

    c.ok::<models::ConnectedAccountsUpdateResponse, _>(
        "/connected_accounts/update",
        c.seam
            .connected_accounts()
            .update(seed::JANE_CONNECTED_ACCOUNT_ID)
            .automatically_manage_new_devices(false),
    )
    .await;
    let jane = c
        .ok::<models::ConnectedAccountsGetResponse, _>("/connected_accounts/get", by_id.clone())
        .await
        .v();
    assert_eq!(jane["automatically_manage_new_devices"], false);

    c.ok::<models::ConnectedAccountsDeleteResponse, _>(
        "/connected_accounts/delete",
        c.seam
            .connected_accounts()
            .delete(seed::JANE_CONNECTED_ACCOUNT_ID),
    )
    .await;
    c.err(
        "/connected_accounts/get",
        404,
        "connected_account_not_found",
        by_id,
    )
    .await;
}

async fn client_sessions(ctx: Arc<Ctx>) {
    let c = ctx.client(API_KEY);
    let session = c
        .ok::<models::ClientSessionsCreateResponse, _>(
            "/client_sessions/create",
            c.seam
                .client_sessions()
                .create()
                .user_identifier_key("rust_sdk_user_1")
                .connected_account_ids([seed::JOHN_CONNECTED_ACCOUNT_ID]),
        )
        .await
        .v();
    let v = session.clone();
    assert_eq!(v["user_identifier_key"], "rust_sdk_user_1");
    assert_eq!(
        v["connected_account_ids"],
        json!([seed::JOHN_CONNECTED_ACCOUNT_ID])
    );
    assert_eq!(v["workspace_id"], WORKSPACE_ID);
    assert!(v["token"].as_str().is_some_and(|t| !t.is_empty()));

    let got = c
        .ok::<models::ClientSessionsGetResponse, _>(
            "/client_sessions/get",
            c.seam
                .client_sessions()
                .get()
                .client_session_id(id(&session, "client_session_id")),
        )
        .await
        .v();
    assert_eq!(got["client_session_id"], session["client_session_id"]);
    assert_eq!(got["token"], v["token"]);

    c.err(
        "/client_sessions/get",
        404,
        "client_session_not_found",
        c.seam
            .client_sessions()
            .get()
            .client_session_id("no_such_session"),
    )
    .await;

    // `get_or_create` authenticates with a publishable key (`seam-publishable-key`
    // header), which the SDK cannot send: with the API key the fake refuses.
    c.err(
        "/client_sessions/get_or_create",
        400,
        "publishable_key_header_required",
        c.seam
            .client_sessions()
            .get_or_create()
            .user_identifier_key("rust_sdk_user_1"),
    )
    .await;
}

async fn connect_webviews(ctx: Arc<Ctx>) {
    let c = ctx.client(API_KEY);
    let webview = c
        .ok::<models::ConnectWebviewsCreateResponse, _>(
            "/connect_webviews/create",
            c.seam
                .connect_webviews()
                .create()
                .custom_redirect_url("https://example.com/done"),
        )
        .await
        .v();
    let v = webview.clone();
    assert_eq!(v["custom_redirect_url"], "https://example.com/done");
    assert_eq!(v["status"], "pending");
    assert_eq!(v["workspace_id"], WORKSPACE_ID);
    let id = id(&webview, "connect_webview_id");

    ctx.fake(
        "/_fake/complete_connect_webview",
        json!({"connect_webview_id": id}),
    );
    let got = c
        .ok::<models::ConnectWebviewsGetResponse, _>(
            "/connect_webviews/get",
            c.seam.connect_webviews().get(&id),
        )
        .await
        .v();
    let g = got.clone();
    assert_eq!(g["connect_webview_id"], id.as_str());
    assert_eq!(g["status"], "authorized", "{g}");
    assert!(g["connected_account_id"].is_string(), "{g}");

    let all = c
        .ok::<models::ConnectWebviewsListResponse, _>(
            "/connect_webviews/list",
            c.seam.connect_webviews().list(),
        )
        .await
        .v();
    let all_ids = ids(&all, "connect_webview_id");
    assert!(all_ids.contains(&id), "{all_ids:?}");
    assert!(
        all_ids.contains(&"connect_webview1".to_owned()),
        "{all_ids:?}"
    );
}

async fn events(ctx: Arc<Ctx>) {
    let c = ctx.client(API_KEY);
    // Creating an access code emits events.
    c.ok::<models::AccessCodesCreateResponse, _>(
        "/access_codes/create",
        c.seam
            .access_codes()
            .create(seed::AUGUST_DEVICE_1)
            .code("2468"),
    )
    .await;
    let events = c
        .ok::<models::EventsListResponse, _>(
            "/events/list",
            c.seam
                .events()
                .list(models::EventsListParamsSelector::since(
                    "2000-01-01T00:00:00.000Z",
                )),
        )
        .await
        .v();
    let events = events.as_array().cloned().unwrap_or_default();
    assert!(!events.is_empty());
    let event = &events[0];
    let event_id = event["event_id"].as_str().expect("event_id").to_owned();
    assert_eq!(event["workspace_id"], WORKSPACE_ID);

    let got = c
        .ok::<models::EventsGetResponse, _>("/events/get", c.seam.events().get(&event_id))
        .await
        .v();
    let got = got.clone();
    assert_eq!(got["event_id"], event_id.as_str());
    assert_eq!(got["event_type"], event["event_type"]);
}

async fn noise_thresholds(ctx: Arc<Ctx>) {
    let c = ctx.client(API_KEY);
    let device = seed::MINUT_DEVICE_1;
    let thresholds = || c.seam.noise_sensors().noise_thresholds();
    let list = thresholds().list(device);
    let seeded = c
        .ok::<models::NoiseSensorsNoiseThresholdsListResponse, _>(
            "/noise_sensors/noise_thresholds/list",
            list.clone(),
        )
        .await
        .v();
    assert_eq!(ids(&seeded, "noise_threshold_id"), vec!["noise_threshold1"]);

    // Required params in constructor order: ids first, a start before its end:
    // device_id, starts_daily_at, ends_daily_at.
    let created = c
        .ok::<models::NoiseSensorsNoiseThresholdsCreateResponse, _>(
            "/noise_sensors/noise_thresholds/create",
            thresholds()
                .create(
                    device,
                    "22:00:00[America/Los_Angeles]",
                    "07:00:00[America/Los_Angeles]",
                )
                .name("quiet hours")
                .noise_threshold_decibels(50.0),
        )
        .await
        .v();
    let v = created.clone();
    assert_eq!(v["name"], "quiet hours");
    assert_eq!(v["device_id"], seed::MINUT_DEVICE_1);
    assert_eq!(v["starts_daily_at"], "22:00:00[America/Los_Angeles]");
    assert_eq!(v["noise_threshold_decibels"].as_f64(), Some(50.0));
    let id = id(&created, "noise_threshold_id");

    let get = thresholds().get(&id);
    let got = c
        .ok::<models::NoiseSensorsNoiseThresholdsGetResponse, _>(
            "/noise_sensors/noise_thresholds/get",
            get.clone(),
        )
        .await
        .v();
    assert_eq!(got["name"], "quiet hours");

    c.ok::<models::NoiseSensorsNoiseThresholdsUpdateResponse, _>(
        "/noise_sensors/noise_thresholds/update",
        thresholds()
            .update(device, &id)
            .name("very quiet hours")
            .noise_threshold_decibels(45.0),
    )
    .await;
    let got = c
        .ok::<models::NoiseSensorsNoiseThresholdsGetResponse, _>(
            "/noise_sensors/noise_thresholds/get",
            get.clone(),
        )
        .await
        .v();
    assert_eq!(got["name"], "very quiet hours");
    assert_eq!(got["noise_threshold_decibels"].as_f64(), Some(45.0));

    c.ok::<models::NoiseSensorsNoiseThresholdsDeleteResponse, _>(
        "/noise_sensors/noise_thresholds/delete",
        thresholds().delete(device, &id),
    )
    .await;
    let after = c
        .ok::<models::NoiseSensorsNoiseThresholdsListResponse, _>(
            "/noise_sensors/noise_thresholds/list",
            list,
        )
        .await
        .v();
    assert_eq!(ids(&after, "noise_threshold_id"), vec!["noise_threshold1"]);
    c.err(
        "/noise_sensors/noise_thresholds/get",
        404,
        "noise_threshold_not_found",
        get,
    )
    .await;
}

async fn acs_systems_and_entrances(ctx: Arc<Ctx>) {
    let c = ctx.client(API_KEY);
    let systems = c
        .ok::<models::AcsSystemsListResponse, _>("/acs/systems/list", c.seam.acs().systems().list())
        .await
        .v();
    assert_eq!(ids(&systems, "acs_system_id"), vec![ACS_SYSTEM_ID]);
    let system = c
        .ok::<models::AcsSystemsGetResponse, _>(
            "/acs/systems/get",
            c.seam.acs().systems().get(ACS_SYSTEM_ID),
        )
        .await
        .v();
    let v = system.clone();
    assert_eq!(v["acs_system_id"], ACS_SYSTEM_ID);
    assert_eq!(v["name"], "Fake Visionline System");
    assert_eq!(v["workspace_id"], WORKSPACE_ID);

    // The seed has no entrances.
    let entrances = c
        .ok::<models::AcsEntrancesListResponse, _>(
            "/acs/entrances/list",
            c.seam.acs().entrances().list().acs_system_id(ACS_SYSTEM_ID),
        )
        .await
        .v();
    assert!(entrances.as_array().is_some_and(Vec::is_empty));
    let entrance = "00000000-0000-4000-8000-000000000001";
    c.err(
        "/acs/entrances/get",
        404,
        "acs_entrance_not_found",
        c.seam.acs().entrances().get(entrance),
    )
    .await;
    c.err(
        "/acs/entrances/grant_access",
        404,
        "acs_entrance_not_found",
        c.seam
            .acs()
            .entrances()
            .grant_access("00000000-0000-4000-8000-000000000002", entrance),
    )
    .await;
}

async fn acs_users(ctx: Arc<Ctx>) {
    let c = ctx.client(API_KEY);
    let users = || c.seam.acs().users();
    let user = c
        .ok::<models::AcsUsersCreateResponse, _>(
            "/acs/users/create",
            users()
                .create(ACS_SYSTEM_ID, "Jane Guest")
                .email_address("jane.guest@example.com"),
        )
        .await
        .v();
    let v = user.clone();
    assert_eq!(v["full_name"], "Jane Guest");
    assert_eq!(v["acs_system_id"], ACS_SYSTEM_ID);
    assert_eq!(v["is_suspended"], false);
    let id = v["acs_user_id"].as_str().expect("acs_user_id").to_owned();

    let get = users().get(&id);
    let got = c
        .ok::<models::AcsUsersGetResponse, _>("/acs/users/get", get.clone())
        .await
        .v();
    assert_eq!(got["acs_user_id"], id.as_str());

    let listed = c
        .ok::<models::AcsUsersListResponse, _>(
            "/acs/users/list",
            users().list().acs_system_id(ACS_SYSTEM_ID),
        )
        .await
        .v();
    assert!(ids(&listed, "acs_user_id").contains(&id));

    c.ok::<models::AcsUsersUpdateResponse, _>(
        "/acs/users/update",
        users().update(&id).full_name("Jane Q. Guest"),
    )
    .await;
    let got = c
        .ok::<models::AcsUsersGetResponse, _>("/acs/users/get", get.clone())
        .await
        .v();
    assert_eq!(got["full_name"], "Jane Q. Guest");

    c.ok::<models::AcsUsersSuspendResponse, _>("/acs/users/suspend", users().suspend(&id))
        .await;
    let got = c
        .ok::<models::AcsUsersGetResponse, _>("/acs/users/get", get.clone())
        .await
        .v();
    assert_eq!(got["is_suspended"], true);
    c.ok::<models::AcsUsersUnsuspendResponse, _>("/acs/users/unsuspend", users().unsuspend(&id))
        .await;
    let got = c
        .ok::<models::AcsUsersGetResponse, _>("/acs/users/get", get.clone())
        .await
        .v();
    assert_eq!(got["is_suspended"], false);

    // The seed has no access groups.
    let group = "00000000-0000-4000-8000-000000000003";
    c.err(
        "/acs/users/add_to_access_group",
        404,
        "acs_access_group_not_found",
        users().add_to_access_group(group, &id),
    )
    .await;
    c.err(
        "/acs/users/remove_from_access_group",
        404,
        "acs_access_group_not_found",
        users().remove_from_access_group(group).acs_user_id(&id),
    )
    .await;

    c.ok::<models::AcsUsersDeleteResponse, _>("/acs/users/delete", users().delete(&id))
        .await;
    c.err("/acs/users/get", 404, "acs_user_not_found", get)
        .await;
}

async fn user_identities(ctx: Arc<Ctx>) {
    let c = ctx.client(API_KEY);
    // Both routes are in the fake's route table but answer a plain-text
    // `500 Not implemented!` (fake 1.86.0), so only the error mapping is
    // checked: a non-JSON error body becomes error type `unknown`.
    c.err(
        "/user_identities/create",
        500,
        "unknown",
        c.seam
            .user_identities()
            .create()
            .email_address("guest@example.com")
            .full_name("Guest"),
    )
    .await;
    c.err(
        "/user_identities/add_acs_user",
        500,
        "unknown",
        c.seam
            .user_identities()
            .add_acs_user("00000000-0000-4000-8000-000000000002")
            .user_identity_id("00000000-0000-4000-8000-000000000001"),
    )
    .await;
}

async fn webhooks(ctx: Arc<Ctx>) {
    let c = ctx.client(API_KEY);
    let hook = c
        .ok::<models::WebhooksCreateResponse, _>(
            "/webhooks/create",
            c.seam
                .webhooks()
                .create("https://example.com/seam-hook")
                .event_types(["lock.locked", "lock.unlocked"]),
        )
        .await
        .v();
    let v = hook.clone();
    assert_eq!(v["url"], "https://example.com/seam-hook");
    assert_eq!(v["event_types"], json!(["lock.locked", "lock.unlocked"]));
    assert!(v["secret"].as_str().is_some_and(|s| !s.is_empty()), "{v}");
    let id = id(&hook, "webhook_id");

    let get = c.seam.webhooks().get(&id);
    let got = c
        .ok::<models::WebhooksGetResponse, _>("/webhooks/get", get.clone())
        .await
        .v();
    assert_eq!(got["webhook_id"], id.as_str());
    assert_eq!(got["url"], "https://example.com/seam-hook");

    let hooks = c
        .ok::<models::WebhooksListResponse, _>("/webhooks/list", c.seam.webhooks().list())
        .await
        .v();
    assert_eq!(ids(&hooks, "webhook_id"), vec![id.clone()]);

    c.ok::<models::WebhooksDeleteResponse, _>("/webhooks/delete", c.seam.webhooks().delete(&id))
        .await;
    let hooks = c
        .ok::<models::WebhooksListResponse, _>("/webhooks/list", c.seam.webhooks().list())
        .await
        .v();
    assert!(hooks.as_array().is_some_and(Vec::is_empty));
    c.err("/webhooks/get", 404, "webhook_not_found", get).await;
}

async fn workspaces(ctx: Arc<Ctx>) {
    let c = ctx.client(API_KEY);
    let ws = c
        .ok::<models::WorkspacesGetResponse, _>("/workspaces/get", c.seam.workspaces().get())
        .await
        .v();
    let v = ws.clone();
    assert_eq!(v["workspace_id"], WORKSPACE_ID);
    assert_eq!(v["name"], "My Workspace");
    assert_eq!(v["is_sandbox"], true);

    let all = c
        .ok::<models::WorkspacesListResponse, _>("/workspaces/list", c.seam.workspaces().list())
        .await
        .v();
    assert_eq!(ids(&all, "workspace_id"), vec![WORKSPACE_ID]);

    // A personal access token acting on a workspace (`seam-workspace` header).
    let pat_ws = ctx.client_as(Cred::Pat(PERSONAL_ACCESS_TOKEN, Some(WORKSPACE_ID)));
    assert_eq!(pat_ws.seam.workspace_id().as_deref(), Some(WORKSPACE_ID));
    let ws = pat_ws
        .ok::<models::WorkspacesGetResponse, _>("/workspaces/get", pat_ws.seam.workspaces().get())
        .await
        .v();
    assert_eq!(ws["workspace_id"], WORKSPACE_ID);

    // `/workspaces/create` takes only a personal access token without a
    // workspace (`Seam::without_workspace_pat`).
    let pat = ctx.client_as(Cred::Pat(PERSONAL_ACCESS_TOKEN, None));
    assert_eq!(pat.seam.workspace_id(), None);
    let created = pat
        .ok::<models::WorkspacesCreateResponse, _>(
            "/workspaces/create",
            pat.seam
                .workspaces()
                .create("Rust SDK workspace")
                .company_name("Rust SDK Inc.")
                .connect_partner_name("Rust SDK")
                .is_sandbox(true),
        )
        .await
        .v();
    let v = created.clone();
    assert_eq!(v["name"], "Rust SDK workspace");
    // The fake stores `connect_partner_name` as `company_name` (fake quirk).
    assert_eq!(v["company_name"], "Rust SDK");
    assert_eq!(v["is_sandbox"], true);
    // The fake doesn't link the new workspace to the PAT's user, so the
    // PAT's list still shows only the seeded workspace (fake 1.86.0 gap).
    let all = pat
        .ok::<models::WorkspacesListResponse, _>("/workspaces/list", pat.seam.workspaces().list())
        .await
        .v();
    assert_eq!(ids(&all, "workspace_id"), vec![WORKSPACE_ID]);
    assert_ne!(id(&created, "workspace_id"), WORKSPACE_ID);

    // Last, as it resets the workspace. The fake's reset also deletes the
    // workspace and its API keys (the real API keeps both), so polling the
    // attempt afterwards would get a 401: don't wait for it here.
    let attempt = c
        .ok::<models::WorkspacesResetSandboxResponse, _>(
            "/workspaces/reset_sandbox",
            c.seam
                .workspaces()
                .reset_sandbox()
                .wait_for_action_attempt(false),
        )
        .await
        .v();
    assert_attempt(&attempt, "RESET_SANDBOX_WORKSPACE", "pending");
}

async fn bridge(ctx: Arc<Ctx>) {
    let c = ctx.client_as(Cred::Bridge(BRIDGE_CLIENT_SESSION_TOKEN));
    assert_eq!(
        c.seam.auth_mode(),
        seam_connect::AuthMode::BridgeClientSessionToken
    );
    let v1 = || c.seam.seam().bridge().v1();
    let session = c
        .ok::<models::SeamBridgeV1BridgeClientSessionsGetResponse, _>(
            "/seam/bridge/v1/bridge_client_sessions/get",
            v1().bridge_client_sessions().get(),
        )
        .await
        .v();
    let v = session.clone();
    assert_eq!(v["bridge_client_session_id"], "bcs1");
    assert_eq!(v["bridge_client_name"], "bridge_1");
    let old_code = v["pairing_code"].clone();

    let regenerated = c
        .ok::<models::SeamBridgeV1BridgeClientSessionsRegeneratePairingCodeResponse, _>(
            "/seam/bridge/v1/bridge_client_sessions/regenerate_pairing_code",
            v1().bridge_client_sessions().regenerate_pairing_code(),
        )
        .await
        .v();
    let r = regenerated.clone();
    assert_eq!(r["bridge_client_session_id"], "bcs1");
    assert_ne!(r["pairing_code"], old_code);

    c.ok::<models::SeamBridgeV1BridgeClientSessionsReportStatusResponse, _>(
        "/seam/bridge/v1/bridge_client_sessions/report_status",
        v1().bridge_client_sessions()
            .report_status()
            .is_tailscale_connected(true)
            .tailscale_ip_v4("100.64.0.1"),
    )
    .await;

    let systems = c
        .ok::<models::SeamBridgeV1BridgeConnectedSystemsListResponse, _>(
            "/seam/bridge/v1/bridge_connected_systems/list",
            v1().bridge_connected_systems().list(),
        )
        .await
        .v();
    assert!(systems.as_array().is_some_and(Vec::is_empty));

    // A new bridge client session (route auth: none; any bearer is ignored).
    // Required params in constructor order (by name, no ids among them):
    // machine identifier key, name, time zone.
    let created = c
        .ok::<models::SeamBridgeV1BridgeClientSessionsCreateResponse, _>(
            "/seam/bridge/v1/bridge_client_sessions/create",
            v1().bridge_client_sessions()
                .create("rust-machine", "rust-bridge", "Europe/Paris"),
        )
        .await
        .v();
    let v = created.clone();
    assert_eq!(v["bridge_client_name"], "rust-bridge");
    assert_eq!(v["bridge_client_time_zone"], "Europe/Paris");
    assert_eq!(v["bridge_client_machine_identifier_key"], "rust-machine");
    assert_ne!(v["bridge_client_session_id"], "bcs1");
}
