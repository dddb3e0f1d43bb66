//! A long list shown a page at a time from an offset in the address (`?offset=N`), for lists
//! the use case hands over whole because they are sorted or totalled in full (the arrears list,
//! the allocation proposal).

use std::ops::Range;

use serde::Deserialize;

use crate::i18n::Tr;

/// The page asked for in the address: `?offset=N`. Anything but a number is the first page.
#[derive(Debug, Default, Deserialize)]
pub struct OffsetParam {
    #[serde(default)]
    offset: String,
}

impl OffsetParam {
    pub fn offset(&self) -> usize {
        self.offset.trim().parse().unwrap_or(0)
    }
}

/// One page of a list of `total` lines, `size` to a page, starting at `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub offset: usize,
    pub total: usize,
    pub size: usize,
}

impl Window {
    /// The page asked for at `offset`; past the end (the list has shrunk since the link was
    /// made) the last page.
    pub fn at(offset: usize, total: usize, size: usize) -> Window {
        let size = size.max(1);
        Window {
            offset: offset.min(total.saturating_sub(1) / size * size),
            total,
            size,
        }
    }

    /// The lines this page shows.
    pub fn range(&self) -> Range<usize> {
        let from = self.offset.min(self.total);
        from..(from + self.size).min(self.total)
    }

    /// Whether the list needs more than one page.
    pub fn paged(&self) -> bool {
        self.total > self.size
    }

    pub fn next(&self) -> Option<usize> {
        let next = self.offset + self.size;
        (next < self.total).then_some(next)
    }

    pub fn previous(&self) -> Option<usize> {
        (self.offset > 0).then(|| self.offset.saturating_sub(self.size))
    }

    /// The catalogue sentence `key` naming which lines this page shows (`{from}`, `{to}`
    /// counted from 1, `{total}`, written as Norwegian text writes numbers: «Viser 101–200 av
    /// 26 932»), when the list needs more than one page.
    pub fn showing(&self, tr: &Tr, key: &str) -> Option<String> {
        let range = self.range();
        let count = |n: usize| husly_domain::validation::group_thousands(n as u64);
        let (from, to, total) = (count(range.start + 1), count(range.end), count(self.total));
        self.paged()
            .then(|| tr.f(key, &[("from", &from), ("to", &to), ("total", &total)]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_list_is_shown_a_page_at_a_time_and_an_offset_past_the_end_shows_the_last_page() {
        let page = |offset, total| Window::at(offset, total, 100);
        assert_eq!(page(0, 250).range(), 0..100);
        assert_eq!(page(200, 250).range(), 200..250);
        assert_eq!(page(0, 0).range(), 0..0);
        assert_eq!(page(1_000, 250).offset, 200);
        assert_eq!(page(300, 300).offset, 200, "300 lines end on the page from 200");
        assert_eq!(page(50, 0).offset, 0);
        assert_eq!((page(0, 250).previous(), page(0, 250).next()), (None, Some(100)));
        assert_eq!((page(200, 250).previous(), page(200, 250).next()), (Some(100), None));
        assert!(page(0, 101).paged() && !page(0, 100).paged());
        let asked = |text: &str| OffsetParam { offset: text.into() }.offset();
        assert_eq!(
            (asked("200"), asked(" 100 "), asked("abc"), asked("-5"), asked("")),
            (200, 100, 0, 0, 0)
        );
        let tr = Tr::new(husly_domain::Lang::Nb);
        assert_eq!(
            page(100, 26_932).showing(&tr, "ledger.list.showing").as_deref(),
            Some("Viser 101–200 av 26\u{a0}932, største restanse først.")
        );
        assert_eq!(
            page(0, 100).showing(&tr, "ledger.list.showing"),
            None,
            "one page: nothing to say"
        );
    }
}
