//! The first calls a Rust developer writes, in the SDK's own types, against Seam's fake server:
//! integer literals for numbers, `SystemTime`s for times that read back as instants, and enums
//! for the values an action attempt's variants fix.

use std::time::{Duration, SystemTime};

use seam_connect::models::{self, ActionAttemptActionType, ActionAttemptStatus};
use seam_connect::{Seam, Timestamp};
use seam_tests::{seed, FakeSeam, API_KEY};

fn fake_and_client() -> (FakeSeam, Seam) {
    let fake = FakeSeam::start().unwrap_or_else(|e| panic!("{e}"));
    let seam = Seam::builder()
        .api_key(API_KEY)
        .endpoint(&fake.url)
        .build()
        .expect("client builds");
    (fake, seam)
}

#[tokio::test]
async fn integer_literals_system_times_and_status_enums() {
    let (_fake, seam) = fake_and_client();

    // `limit` is a `number` in the spec: `10` is accepted and the server applies it.
    let all = seam.devices().list().await.expect("devices");
    // The server requires `device_id` or `name`: the call takes it, a string being the id.
    let id = all[0].device_id.clone();
    let device = seam.devices().get(&id).await.expect("by id");
    assert_eq!(device.device_id, id);
    // The other alternative through the selector's function: the device's name.
    // (`properties.name` is what the fake finds a device by; the spec deprecates the field.)
    #[allow(deprecated)]
    let name = device.properties.name.clone();
    let by_name = seam
        .devices()
        .get(models::DevicesGetParamsSelector::name(name))
        .await
        .expect("by name");
    assert_eq!(by_name.device_id, id);
    let one = seam.devices().list().limit(1).await.expect("one device");
    assert!(all.len() > 1, "the seed has several devices");
    assert_eq!(one.len(), 1);
    assert_eq!(
        seam.devices().list().limit(10).await.expect("ten").len(),
        all.len().min(10)
    );

    // Times sent as `SystemTime`s read back as the same instants, and compare as instants.
    let starts = SystemTime::now() + Duration::from_secs(3_600);
    let ends = starts + Duration::from_secs(86_400);
    let code = seam
        .access_codes()
        .create(seed::AUGUST_DEVICE_1)
        .name("Guest")
        .code("4444")
        .starts_at(starts)
        .ends_at(ends)
        .await
        .expect("created");
    let fetched = seam
        .access_codes()
        .get(&code.access_code_id)
        .await
        .expect("read back");
    let (Some(read_starts), Some(read_ends)) = (&fetched.starts_at, &fetched.ends_at) else {
        panic!("a time-bound code has both times: {fetched:?}");
    };
    assert!(fetched.starts_at < fetched.ends_at);
    assert!(
        read_starts.is_valid() && read_ends.is_valid(),
        "{fetched:?}"
    );
    // The server writes milliseconds; the instant is the one sent, to the millisecond.
    let sent = Timestamp::from(starts);
    let (sent_s, sent_ns) = sent.unix().expect("an instant");
    let (read_s, read_ns) = read_starts.unix().expect("an instant");
    assert_eq!((read_s, read_ns / 1_000_000), (sent_s, sent_ns / 1_000_000));
    assert_eq!(
        read_ends.unix_seconds(),
        Timestamp::from(ends).unix_seconds()
    );

    // A closed set of values is an enum: a typo does not compile.
    let attempt = seam
        .locks()
        .unlock_door(seed::AUGUST_DEVICE_1)
        .await
        .expect("unlocked");
    assert!(attempt.status() == Some(ActionAttemptStatus::Success));
    assert_eq!(
        attempt.action_type(),
        Some(ActionAttemptActionType::UnlockDoor)
    );
}
