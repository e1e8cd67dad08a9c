//! Decoding an original and encoding its renditions: pure, CPU-bound work, run on a
//! blocking thread.

use std::io::Cursor;

use comptoir_domain::image::{ImageFormat, Rendition};
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageReader, RgbImage};
use sha2::{Digest, Sha256};

/// JPEG quality: photographs without visible artefacts at a third of the bytes of
/// quality 95.
const JPEG_QUALITY: u8 = 82;
/// Lossy WebP quality: about the JPEG's look, 25–35 % smaller.
const WEBP_QUALITY: f32 = 78.0;
/// Larger originals are refused: decoding them would take gigabytes.
const MAX_SIDE: u32 = 12_000;

/// Why an original gave no renditions.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("cannot read the file: {0}")]
    Unreadable(String),
    #[error("not an image this shop can read: {0}")]
    NotAnImage(#[from] image::ImageError),
    #[error("the file was cut short")]
    Truncated,
    #[error("rendering crashed: {0}")]
    Crashed(String),
}

/// An original's renditions: what they are, and each file's path under the media
/// folder with its bytes.
pub struct Rendered {
    pub rendition: Rendition,
    pub files: Vec<(String, Vec<u8>)>,
}

/// Decodes `original` (JPEG, PNG or WebP, turned upright by its EXIF orientation)
/// and encodes it at each rendition width in each format.
pub fn render(original: &[u8]) -> Result<Rendered, RenderError> {
    let image = decode(original)?;
    let rendition = Rendition {
        hash: hex::encode(Sha256::digest(original))[..32].to_owned(),
        width: image.width(),
        height: image.height(),
    };
    // Transparent PNGs go on white, as product photos are shown.
    let mut current = flatten_on_white(image);
    let mut files = Vec::new();
    // Largest first, each from the one before: a fraction of the work of resizing
    // the original every time, and no visible difference.
    for width in rendition.widths().into_iter().rev() {
        if width != current.width() {
            current = image::imageops::resize(
                &current,
                width,
                rendition.height_at(width),
                FilterType::Lanczos3,
            );
        }
        for format in ImageFormat::ALL {
            files.push((
                rendition.file_name(width, format),
                encode(&current, format)?,
            ));
        }
    }
    Ok(Rendered { rendition, files })
}

/// Whether `original` decodes to its end: what a damaged or truncated file fails.
pub fn check(original: &[u8]) -> Result<(), RenderError> {
    decode(original).map(drop)
}

fn decode(original: &[u8]) -> Result<DynamicImage, RenderError> {
    if original.starts_with(&[0xFF, 0xD8]) && !jpeg_is_complete(original) {
        return Err(RenderError::Truncated);
    }
    let mut reader = ImageReader::new(Cursor::new(original))
        .with_guessed_format()
        .map_err(|error| RenderError::Unreadable(error.to_string()))?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    reader.limits(limits);
    let mut decoder = reader.into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut image = DynamicImage::from_decoder(decoder)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// Whether a JPEG's last scan is followed by its end marker. A file cut short has
/// none, and decoders fill the missing rows with grey rather than fail. Inside a
/// scan a 0xFF byte is followed by 0x00 or a restart marker, so 0xFF 0xD9 after the
/// last scan's start is the real end (an EXIF thumbnail's comes before it).
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let Some(last_scan) = bytes.windows(2).rposition(|pair| pair == [0xFF, 0xDA]) else {
        return false;
    };
    bytes[last_scan..]
        .windows(2)
        .any(|pair| pair == [0xFF, 0xD9])
}

fn flatten_on_white(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over_white = |channel: u8| {
            let alpha = u16::from(a);
            ((u16::from(channel) * alpha + 255 * (255 - alpha)) / 255) as u8
        };
        image::Rgb([over_white(r), over_white(g), over_white(b)])
    })
}

fn encode(image: &RgbImage, format: ImageFormat) -> Result<Vec<u8>, RenderError> {
    match format {
        ImageFormat::Jpeg => {
            let mut bytes = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY)
                .encode_image(image)?;
            Ok(bytes)
        }
        ImageFormat::Webp => {
            let encoded = webp::Encoder::from_rgb(image.as_raw(), image.width(), image.height())
                .encode(WEBP_QUALITY);
            Ok(encoded.to_vec())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(width: u32, height: u32) -> Vec<u8> {
        let image = RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x * y) % 251) as u8])
        });
        let mut bytes = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90)
            .encode_image(&image)
            .unwrap();
        bytes
    }

    #[test]
    fn a_large_photo_gets_each_width_in_jpeg_and_webp() {
        let original = photo(1200, 900);
        let rendered = render(&original).unwrap();
        assert_eq!(
            (rendered.rendition.width, rendered.rendition.height),
            (1200, 900)
        );
        let names: Vec<&str> = rendered
            .files
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        let hash = &rendered.rendition.hash;
        assert_eq!(hash.len(), 32);
        for width in [240, 480, 960] {
            assert!(names.contains(&format!("renditions/{hash}-{width}.jpg").as_str()));
            assert!(names.contains(&format!("renditions/{hash}-{width}.webp").as_str()));
        }
        for (name, bytes) in &rendered.files {
            let decoded = image::load_from_memory(bytes).unwrap();
            let width: u32 = name
                .rsplit('-')
                .next()
                .unwrap()
                .split('.')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            assert_eq!(
                (decoded.width(), decoded.height()),
                (width, width * 3 / 4),
                "{name}"
            );
            if name.ends_with(".webp") {
                assert_eq!(&bytes[12..16], b"VP8 ", "lossy WebP: {name}");
            } else {
                assert!(bytes.starts_with(&[0xFF, 0xD8, 0xFF]), "{name}");
            }
        }
    }

    #[test]
    fn the_same_bytes_give_the_same_names() {
        let original = photo(300, 300);
        assert_eq!(
            render(&original).unwrap().rendition,
            render(&original).unwrap().rendition
        );
    }

    #[test]
    fn what_is_not_an_image_is_refused() {
        assert!(matches!(
            render(b"<svg></svg>"),
            Err(RenderError::NotAnImage(_))
        ));
        let mut truncated = photo(200, 200);
        truncated.truncate(300);
        assert!(render(&truncated).is_err());
    }

    #[test]
    fn a_jpeg_cut_short_is_refused() {
        let whole = photo(600, 400);
        assert!(check(&whole).is_ok());
        let cut = &whole[..whole.len() * 2 / 3];
        assert!(matches!(check(cut), Err(RenderError::Truncated)));
        assert!(matches!(render(cut), Err(RenderError::Truncated)));
    }

    #[test]
    fn transparency_becomes_white() {
        let image = image::RgbaImage::from_pixel(10, 10, image::Rgba([0, 0, 0, 0]));
        let mut png = Vec::new();
        DynamicImage::ImageRgba8(image)
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let rendered = render(&png).unwrap();
        let jpeg = &rendered
            .files
            .iter()
            .find(|(name, _)| name.ends_with(".jpg"))
            .unwrap()
            .1;
        let pixel = image::load_from_memory(jpeg)
            .unwrap()
            .into_rgb8()
            .get_pixel(5, 5)
            .0;
        assert!(pixel.iter().all(|&channel| channel > 245), "{pixel:?}");
    }
}
