//! Cursor pagination of list endpoints.
//!
//! Every paginated list endpoint has a `list_pages` twin returning a
//! [`Paginator`], which fetches one page at a time ([`Paginator::next_page`]),
//! streams every item ([`Paginator::into_stream`]) or collects them all
//! ([`Paginator::collect_all`]).

use std::collections::HashSet;
use std::fmt;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::client::{Endpoint, Seam};
use super::error::Result;
use crate::models::Pagination;

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
/// Obtained from a generated `list_pages` function, e.g.
/// `seam.devices().list_pages(&params)`. Stops when `has_next_page` is
/// `false`, when there is no cursor, or when the server hands out a cursor
/// it already gave (so a misbehaving server cannot cause an endless loop).
pub struct Paginator<P, R, T> {
    client: Seam,
    endpoint: &'static Endpoint,
    params: P,
    set_cursor: fn(&mut P, String),
    split: fn(R) -> (Vec<T>, Pagination),
    state: State,
    seen_cursors: HashSet<String>,
    _response: PhantomData<fn() -> R>,
}

impl<P: fmt::Debug, R, T> fmt::Debug for Paginator<P, R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("path", &self.endpoint.path)
            .field("params", &self.params)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl<P, R, T> Paginator<P, R, T>
where
    P: Serialize + Clone,
    R: DeserializeOwned,
{
    /// Called by generated `list_pages` functions: `set_cursor` stores a
    /// cursor in the params (`page_cursor`), `split` takes the items and the
    /// pagination info out of a response.
    #[allow(dead_code)] // until every feature combination has a paginated endpoint
    pub(crate) fn new(
        client: Seam,
        endpoint: &'static Endpoint,
        params: P,
        set_cursor: fn(&mut P, String),
        split: fn(R) -> (Vec<T>, Pagination),
    ) -> Self {
        Paginator {
            client,
            endpoint,
            params,
            set_cursor,
            split,
            state: State::Start,
            seen_cursors: HashSet::new(),
            _response: PhantomData,
        }
    }

    /// Fetches the next page (the first one on the first call); `Ok(None)`
    /// once there are no more pages. After an error the same page can be
    /// requested again by calling `next_page` again.
    pub async fn next_page(&mut self) -> Result<Option<Page<T>>> {
        let response: R = match &self.state {
            State::Done => return Ok(None),
            State::Start => self.client.call(self.endpoint, &self.params, &[]).await?,
            State::Next(cursor) => {
                let mut params = self.params.clone();
                (self.set_cursor)(&mut params, cursor.clone());
                self.client.call(self.endpoint, &params, &[]).await?
            }
        };
        let (items, pagination) = (self.split)(response);
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
    pub fn into_stream(self) -> impl futures_core::Stream<Item = Result<T>> {
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
    pub async fn collect_all(mut self) -> Result<Vec<T>> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await? {
            all.extend(page.items);
        }
        Ok(all)
    }
}
