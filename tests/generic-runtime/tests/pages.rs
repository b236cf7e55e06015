//! `.pages()` on the list endpoints of `tests/generic/specs/pages.yaml`: the walk follows each
//! page's cursor, in the shapes real APIs use, and stops where the API says the list ends.

use snapshot_pages::Client;
use test_support::loopback::{Reply, Server};

fn client(server: &Server) -> Client {
    Client::builder()
        .base_url(&server.url)
        .max_retries(0)
        .build()
}

#[tokio::test]
async fn a_next_page_token_goes_into_the_page_token_parameter() {
    let server = Server::start(vec![
        Reply::json(
            200,
            r#"{"items": [{"id": "a", "name": "A"}], "next_page": "t2"}"#,
        ),
        Reply::json(
            200,
            r#"{"items": [{"id": "b", "name": "B"}], "next_page": null}"#,
        ),
    ]);
    let all = client(&server)
        .list_instances()
        .limit(1)
        .pages()
        .collect_all()
        .await
        .expect("two pages");
    let ids: Vec<&str> = all.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    let got = server.received();
    assert_eq!(got[0].target, "/instances?limit=1");
    // The request's own parameters are kept on every page.
    assert_eq!(got[1].target, "/instances?limit=1&page_token=t2");
}

#[tokio::test]
async fn a_kebab_case_token_and_a_missing_one_ends_the_walk() {
    let server = Server::start(vec![
        Reply::json(
            200,
            r#"{"namespaces": ["x", "y"], "next-page-token": "p2"}"#,
        ),
        Reply::json(200, r#"{"namespaces": ["z"]}"#),
    ]);
    let mut pages = client(&server).list_namespaces().pages();
    assert_eq!(
        pages.next_page().await.expect("page 1"),
        Some(vec!["x".to_string(), "y".to_string()])
    );
    assert_eq!(
        pages.next_page().await.expect("page 2"),
        Some(vec!["z".to_string()])
    );
    assert_eq!(pages.next_page().await.expect("the end"), None);
    assert_eq!(server.received()[1].target, "/namespaces?pageToken=p2");
}

#[tokio::test]
async fn has_more_starts_the_next_page_after_the_last_item() {
    let page = |ids: &[&str], more: bool| {
        let data: Vec<String> = ids
            .iter()
            .map(|id| format!(r#"{{"id": "{id}"}}"#))
            .collect();
        Reply::json(
            200,
            &format!(
                r#"{{"object": "list", "data": [{}], "has_more": {more}, "url": "/customers"}}"#,
                data.join(",")
            ),
        )
    };
    let server = Server::start(vec![page(&["c1", "c2"], true), page(&["c3"], false)]);
    let all = client(&server)
        .list_customers()
        .limit(2)
        .pages()
        .collect_all()
        .await
        .expect("two pages");
    assert_eq!(all.len(), 3);
    assert_eq!(
        server.received()[1].target,
        "/customers?starting_after=c2&limit=2"
    );
}

#[tokio::test]
async fn a_cursor_handed_out_twice_ends_the_walk() {
    let same = r#"{"items": [{"id": "a", "name": "A"}], "next_page": "again"}"#;
    let server = Server::start(vec![Reply::json(200, same), Reply::json(200, same)]);
    let all = client(&server)
        .list_instances()
        .pages()
        .collect_all()
        .await
        .expect("pages");
    assert_eq!(
        all.len(),
        2,
        "the second page is read, the repeated cursor not followed"
    );
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn an_error_page_can_be_asked_for_again() {
    let server = Server::start(vec![
        Reply::json(200, r#"{"items": [], "next_page": "t2"}"#),
        Reply::json(500, "{}"),
        Reply::json(200, r#"{"items": [{"id": "b", "name": "B"}]}"#),
    ]);
    let mut pages = client(&server).list_instances().pages();
    assert_eq!(pages.next_page().await.expect("page 1"), Some(Vec::new()));
    let err = pages.next_page().await.expect_err("500");
    assert_eq!(err.status(), Some(500));
    let again = pages
        .next_page()
        .await
        .expect("page 2 again")
        .expect("a page");
    assert_eq!(again[0].id, "b");
    assert_eq!(server.received()[2].target, "/instances?page_token=t2");
}
