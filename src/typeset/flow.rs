//! How much of its pages a laid-out handout fills: what the fitting policy reads from
//! the first layout to tell whether a tighter one could set it on one page fewer
//! without compiling it (see `fit::Typesetter::on_fewer_pages`).

use typst::layout::{Frame, FrameItem};
use typst::visualize::Geometry;
use typst_layout::PagedDocument;

/// The heights, in points, of a handout's flowed body on its pages.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Flow {
    /// The body's height on a page (the page without its top and bottom margins).
    pub body: f64,
    /// How far the content reaches down each page's body, the last page's up to where
    /// the article ends (`article_end`), so without the closing parts.
    pub filled: Vec<f64>,
}

impl Flow {
    /// `article_end` is where the article ends on the last page, in points from the
    /// page's top (`fit::article_end_y`). `None` when a page has no body frame.
    pub(super) fn of(document: &PagedDocument, article_end: f64) -> Option<Flow> {
        let mut body = 0.0_f64;
        let mut filled = Vec::with_capacity(document.pages().len());
        for page in document.pages() {
            let (top, frame) = body_frame(&page.frame)?;
            body = body.max(frame.height().to_pt());
            filled.push(filled_height(frame).max(0.0));
            if filled.len() == document.pages().len() {
                // The last page counts only up to the article's end.
                *filled.last_mut()? = (article_end - top).max(0.0);
            }
        }
        Some(Flow { body, filled })
    }

    /// The content's height on all pages together.
    pub(super) fn total(&self) -> f64 {
        self.filled.iter().sum()
    }
}

/// The page's body: typst places it as the page frame's one group at the top margin
/// (the header is at the top edge, the footer below the body), and it is the tallest.
fn body_frame(page: &Frame) -> Option<(f64, &Frame)> {
    page.items()
        .filter_map(|(point, item)| match item {
            FrameItem::Group(group) if point.y.to_pt() > 0.0 => Some((point.y.to_pt(), &group.frame)),
            _ => None,
        })
        .max_by(|(_, a), (_, b)| a.height().to_pt().total_cmp(&b.height().to_pt()))
}

/// How far the article's text reaches down the page's body. Footnotes sit at the foot
/// of the body whatever the text above them fills, under a separator line that typst
/// places straight in the body (the text's own lines and boxes are in groups): only
/// what is above the first such line is measured. Leaving the footnotes out can only
/// make a tighter layout look more promising, never skip one that would do.
fn filled_height(body: &Frame) -> f64 {
    let footnotes_from = body
        .items()
        .filter(|(_, item)| matches!(item, FrameItem::Shape(shape, _) if matches!(shape.geometry, Geometry::Line(_))))
        .map(|(point, _)| point.y.to_pt())
        .fold(f64::INFINITY, f64::min);
    lowest_content(body, footnotes_from)
}

/// The lowest edge of anything laid out in `frame` that starts above `above`, from its
/// top (text counts down to its baseline).
fn lowest_content(frame: &Frame, above: f64) -> f64 {
    frame
        .items()
        .filter(|(point, _)| point.y.to_pt() < above)
        .map(|(point, item)| {
            let below = match item {
                FrameItem::Group(group) if !group.frame.is_empty() => group.frame.height().to_pt(),
                FrameItem::Shape(shape, _) => shape.geometry.bbox(None).max.y.to_pt(),
                FrameItem::Image(_, size, _) => size.y.to_pt(),
                FrameItem::Text(_) => 0.0,
                FrameItem::Group(_) | FrameItem::Link(..) | FrameItem::Tag(_) => return 0.0,
            };
            point.y.to_pt() + below
        })
        .fold(0.0, f64::max)
}
