//! Cursor pagination of list endpoints.
//!
//! The request of every paginated list endpoint has a
//! [`pages`](Request::pages) method (defined here) returning a [`Paginator`],
//! which fetches one page at a time ([`Paginator::next_page`]), streams every
//! item ([`Paginator::into_stream`]) or collects them all
//! ([`Paginator::collect_all`]).

use std::collections::HashSet;
use std::fmt;

use super::client::Seam;
use super::error::Result;
use super::request::{Paginated, Request};
use crate::generated::contract::Pagination;

/// One page of a paginated list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Seam's pagination info (`has_next_page`, `next_page_cursor`, ...).
    pub pagination: Pagination,
}

/// Where a [`Paginator`] stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    /// The first page has not been requested yet.
    Start,
    /// The next request uses this cursor.
    Next(String),
    /// No more pages.
    Done,
}

/// Walks a paginated list endpoint page by page, following
/// `pagination.next_page_cursor`.
///
/// Obtained from a list request's `pages`, e.g.
/// `seam.devices().list().pages()`. Stops when `has_next_page` is `false`,
/// when there is no cursor, or when the server hands out a cursor it already
/// gave (so a misbehaving server cannot cause an endless loop).
pub struct Paginator<O: Paginated> {
    client: Seam,
    params: O::Params,
    state: State,
    seen_cursors: HashSet<String>,
}

impl<O: Paginated> fmt::Debug for Paginator<O>
where
    O::Params: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("path", &O::ENDPOINT.path)
            .field("params", &self.params)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl<O: Paginated> Request<O> {
    /// Every page of the list: walk them with [`Paginator::next_page`], take
    /// all items as a stream ([`Paginator::into_stream`]) or at once
    /// ([`Paginator::collect_all`]). The request's page cursor is where the
    /// walk starts.
    pub fn pages(self) -> Paginator<O> {
        Paginator::new(self.client, self.params)
    }
}

impl<O: Paginated> Paginator<O> {
    fn new(client: Seam, params: O::Params) -> Self {
        Paginator {
            client,
            params,
            state: State::Start,
            seen_cursors: HashSet::new(),
        }
    }

    /// Fetches the next page (the first one on the first call); `Ok(None)`
    /// once there are no more pages. After an error the same page can be
    /// requested again by calling `next_page` again.
    pub async fn next_page(&mut self) -> Result<Option<Page<O::Item>>> {
        let response: O::Response = match &self.state {
            State::Done => return Ok(None),
            State::Start => {
                let query = O::query(&self.params);
                self.client.call(O::ENDPOINT, &self.params, &query).await?
            }
            State::Next(cursor) => {
                let mut params = self.params.clone();
                O::set_cursor(&mut params, cursor.clone());
                let query = O::query(&params);
                self.client.call(O::ENDPOINT, &params, &query).await?
            }
        };
        let (items, pagination) = O::split(response);
        self.state = match (&pagination.has_next_page, &pagination.next_page_cursor) {
            (true, Some(cursor)) if self.seen_cursors.insert(cursor.clone()) => {
                State::Next(cursor.clone())
            }
            _ => State::Done,
        };
        Ok(Some(Page { items, pagination }))
    }

    /// Every item of every remaining page, as a [`Stream`](futures_core::Stream)
    /// (use `futures::StreamExt` or `futures::TryStreamExt` to consume it).
    /// Pages are fetched lazily; the stream ends after the first error.
    pub fn into_stream(self) -> impl futures_core::Stream<Item = Result<O::Item>> {
        futures_util::stream::try_unfold(
            (self, Vec::new().into_iter()),
            |(mut pages, mut buffer)| async move {
                loop {
                    if let Some(item) = buffer.next() {
                        return Ok(Some((item, (pages, buffer))));
                    }
                    match pages.next_page().await? {
                        Some(page) => buffer = page.items.into_iter(),
                        None => return Ok(None),
                    }
                }
            },
        )
    }

    /// Fetches every remaining page and returns all their items.
    pub async fn collect_all(mut self) -> Result<Vec<O::Item>> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await? {
            all.extend(page.items);
        }
        Ok(all)
    }
}
