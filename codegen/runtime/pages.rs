//! Cursor pagination of list endpoints: [`Request::pages`](super::Request::pages) on the request
//! of an endpoint whose responses say where the next page starts (a next-page cursor, or `has_more`
//! and the last item's id).

use std::collections::HashSet;
use std::fmt;

use super::call::{Operation, Request};
use super::error::Result;

/// A paginated list endpoint: [`Request::pages`] walks it page by page.
pub trait Paginated: Operation<Params: Clone> {
    /// One listed item.
    type Item: Send;
    /// Stores the cursor of the next page in the params.
    #[doc(hidden)]
    fn set_cursor(params: &mut Self::Params, cursor: String);
    /// Takes the items and the next page's cursor (`None`: the last page) out of a response.
    #[doc(hidden)]
    fn split(output: Self::Output) -> (Vec<Self::Item>, Option<String>);
}

/// A response field read as an optional value of `T`, whatever its shape (`T`, `Option<T>`,
/// `Option<Option<T>>`): how generated [`Paginated::split`]s read the items, the cursor and
/// `has_more`.
#[doc(hidden)]
pub trait PageValue<T> {
    /// The value, if there is one.
    fn into_value(self) -> Option<T>;
}

impl<T> PageValue<T> for T {
    fn into_value(self) -> Option<T> {
        Some(self)
    }
}

impl<T> PageValue<T> for Option<T> {
    fn into_value(self) -> Option<T> {
        self
    }
}

impl<T> PageValue<T> for Option<Option<T>> {
    fn into_value(self) -> Option<T> {
        self.flatten()
    }
}

/// Where [`Pages`] stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    /// The first page has not been requested yet.
    Start,
    /// The next request uses this cursor.
    Next(String),
    /// No more pages.
    Done,
}

/// Walks a paginated list endpoint page by page, from [`Request::pages`]: the request's own
/// parameters and settings, with each page's cursor set from the page before. Stops at a page
/// without a next cursor, or when the server hands out a cursor it already gave (so a misbehaving
/// server cannot cause an endless loop).
pub struct Pages<O: Paginated> {
    request: Request<O>,
    state: State,
    seen: HashSet<String>,
}

impl<O: Paginated> fmt::Debug for Pages<O>
where
    O::Params: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("request", &self.request)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl<O: Paginated> Pages<O> {
    /// Fetches the next page's items (the first page's on the first call); `Ok(None)` once there
    /// are no more pages. After an error, calling it again requests the same page again.
    pub async fn next_page(&mut self) -> Result<Option<Vec<O::Item>>, O::Error> {
        let request = match &self.state {
            State::Done => return Ok(None),
            State::Start => self.request.clone(),
            State::Next(cursor) => {
                let mut request = self.request.clone();
                O::set_cursor(&mut request.params, cursor.clone());
                request
            }
        };
        let (items, next) = O::split(request.send().await?);
        self.state = match next {
            Some(cursor) if !cursor.is_empty() && self.seen.insert(cursor.clone()) => {
                State::Next(cursor)
            }
            _ => State::Done,
        };
        Ok(Some(items))
    }

    /// Fetches every remaining page and returns all their items.
    pub async fn collect_all(mut self) -> Result<Vec<O::Item>, O::Error> {
        let mut all = Vec::new();
        while let Some(items) = self.next_page().await? {
            all.extend(items);
        }
        Ok(all)
    }
}

impl<O: Paginated> Request<O> {
    /// Every page of the list: walk them with [`Pages::next_page`], or take every item at once
    /// with [`Pages::collect_all`]. A cursor set on the request is where the walk starts.
    pub fn pages(self) -> Pages<O> {
        Pages {
            request: self,
            state: State::Start,
            seen: HashSet::new(),
        }
    }
}
