//! Product images as the shop serves them: each original (up to 5 MB, any size) is
//! resized once to a few widths, in JPEG and WebP, named by the original's content
//! hash so they can be cached for good and served by any static file server.

use crate::static_base::StaticBase;

/// The widths renditions are made at; an original narrower than the largest also
/// gets one at its own width.
pub const RENDITION_WIDTHS: [u32; 3] = [240, 480, 960];

/// Folder of the renditions, in the media volume (served at `/static/media/renditions/`).
pub const RENDITIONS_FOLDER: &str = "renditions";

/// The file formats each width is written in: JPEG for every browser, WebP (smaller)
/// for those that take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Jpeg,
    Webp,
}

impl ImageFormat {
    pub const ALL: [ImageFormat; 2] = [ImageFormat::Jpeg, ImageFormat::Webp];

    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Webp => "webp",
        }
    }

    pub fn mime_type(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Webp => "image/webp",
        }
    }
}

/// The renditions made of one original image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendition {
    /// Hex digest of the original's bytes (the first 32 digits of its SHA-256).
    pub hash: String,
    /// The original's size in pixels, upright.
    pub width: u32,
    pub height: u32,
}

impl Rendition {
    /// The widths made, smallest first: the standard ones narrower than the
    /// original, and the original's own width when it is narrower than the largest.
    pub fn widths(&self) -> Vec<u32> {
        let mut widths: Vec<u32> = RENDITION_WIDTHS
            .into_iter()
            .filter(|&width| width < self.width)
            .collect();
        let largest = RENDITION_WIDTHS[RENDITION_WIDTHS.len() - 1];
        if self.width <= largest {
            widths.push(self.width);
        }
        widths
    }

    /// The height of the rendition `width` wide, keeping the original's proportions.
    pub fn height_at(&self, width: u32) -> u32 {
        let height = u64::from(self.height) * u64::from(width) / u64::from(self.width.max(1));
        height.max(1) as u32
    }

    /// Path of a rendition relative to the media folder.
    pub fn file_name(&self, width: u32, format: ImageFormat) -> String {
        format!(
            "{RENDITIONS_FOLDER}/{}-{width}.{}",
            self.hash,
            format.extension()
        )
    }

    /// `srcset` of one format: `/static/media/renditions/…-240.webp 240w, …`.
    pub fn srcset(&self, base: &StaticBase, format: ImageFormat) -> String {
        self.widths()
            .into_iter()
            .map(|width| {
                let url = base.join(&format!("media/{}", self.file_name(width, format)));
                format!("{url} {width}w")
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The smallest rendition at least `width` wide (or the largest made), for a
    /// plain `src`.
    pub fn src(&self, base: &StaticBase, width: u32, format: ImageFormat) -> String {
        let widths = self.widths();
        let chosen = widths
            .iter()
            .copied()
            .find(|&made| made >= width)
            .or(widths.last().copied())
            .unwrap_or(self.width);
        base.join(&format!("media/{}", self.file_name(chosen, format)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(width: u32, height: u32) -> Rendition {
        Rendition {
            hash: "ab12".into(),
            width,
            height,
        }
    }

    #[test]
    fn large_originals_get_the_standard_widths_only() {
        assert_eq!(of(1200, 1200).widths(), [240, 480, 960]);
        assert_eq!(of(4000, 3000).widths(), [240, 480, 960]);
    }

    #[test]
    fn narrower_originals_are_never_enlarged() {
        assert_eq!(of(600, 800).widths(), [240, 480, 600]);
        assert_eq!(of(960, 960).widths(), [240, 480, 960]);
        assert_eq!(of(150, 100).widths(), [150]);
    }

    #[test]
    fn heights_keep_the_proportions() {
        assert_eq!(of(1200, 900).height_at(480), 360);
        assert_eq!(of(3000, 1).height_at(240), 1, "never zero");
    }

    #[test]
    fn names_and_srcsets() {
        let rendition = of(1200, 1200);
        assert_eq!(
            rendition.file_name(480, ImageFormat::Webp),
            "renditions/ab12-480.webp"
        );
        assert_eq!(
            rendition.srcset(&StaticBase::default(), ImageFormat::Jpeg),
            "/static/media/renditions/ab12-240.jpg 240w, /static/media/renditions/ab12-480.jpg 480w, /static/media/renditions/ab12-960.jpg 960w"
        );
        assert_eq!(
            rendition.src(&StaticBase::default(), 300, ImageFormat::Jpeg),
            "/static/media/renditions/ab12-480.jpg"
        );
        assert_eq!(
            of(200, 200).src(&StaticBase::default(), 480, ImageFormat::Jpeg),
            "/static/media/renditions/ab12-200.jpg"
        );
    }
}
