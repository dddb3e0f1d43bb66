//! A long list shown a page at a time from an offset in the address (`?offset=N`), for lists
//! the use case hands over whole because they are sorted or totalled in full (the arrears list,
//! the allocation proposal).

use std::ops::Range;

use serde::Deserialize;

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

    /// `from`, `to` (counted from 1) and `total`, written as Norwegian text writes numbers, for a
    /// sentence such as «Viser 101–200 av 26 932».
    pub fn counts(&self) -> [(&'static str, String); 3] {
        let range = self.range();
        let count = |n: usize| husly_domain::validation::group_thousands(n as u64);
        [
            ("from", count(range.start + 1)),
            ("to", count(range.end)),
            ("total", count(self.total)),
        ]
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
        let counts = page(100, 26_932).counts();
        assert_eq!(counts[0].1, "101");
        assert_eq!(counts[2].1, "26\u{a0}932");
    }
}
