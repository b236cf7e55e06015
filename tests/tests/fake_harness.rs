//! Proves the fake-server harness itself: two fakes started concurrently get
//! different ports on 127.0.0.1 and both answer an authenticated request.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use seam_tests::{FakeSeam, API_KEY};

/// Raw HTTP/1.1 `POST /devices/list` with the seeded API key; returns the
/// status line and the whole response.
fn post_devices_list(fake: &FakeSeam) -> (String, String) {
    let mut stream = TcpStream::connect(fake.addr()).expect("connect to fake");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let body = "{}";
    let request = format!(
        "POST /devices/list HTTP/1.1\r\n\
         Host: {host}\r\n\
         Authorization: Bearer {API_KEY}\r\n\
         Content-Type: application/json\r\n\
         Content-Length: {len}\r\n\
         Connection: close\r\n\
         \r\n\
         {body}",
        host = fake.addr(),
        len = body.len(),
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read response");
    let status_line = response.lines().next().unwrap_or_default().to_string();
    (status_line, response)
}

#[test]
fn two_fakes_start_concurrently_and_answer() {
    let handles: Vec<_> = (0..2)
        .map(|_| std::thread::spawn(FakeSeam::start))
        .collect();
    let fakes: Vec<FakeSeam> = handles
        .into_iter()
        .map(|h| {
            h.join()
                .expect("start thread panicked")
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();

    assert_ne!(fakes[0].url, fakes[1].url, "each fake needs its own port");
    for fake in &fakes {
        assert!(
            fake.url.starts_with("http://127.0.0.1:"),
            "url = {}",
            fake.url
        );
        let (status_line, response) = post_devices_list(fake);
        assert!(
            status_line.contains(" 200"),
            "{}: {status_line}\n{response}",
            fake.url
        );
        assert!(
            response.contains("\"device_id\":\"august_device_1\""),
            "{response}"
        );
    }
}
