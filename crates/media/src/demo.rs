//! The demo catalogue's photos: its hand-written products are shown with generated
//! studio shots (backdrop, lit subject, floor shadow, sensor grain), 1 200 px JPEGs
//! that weigh what real product photos weigh, so the rendition pipeline and the page
//! weights are exercised as in a real shop.

use std::path::Path;

use comptoir_demo::fixed::{self, PHOTOS_EACH};
use comptoir_store::ImageStore;
use image::{Rgb, RgbImage};

use crate::MediaError;

/// Side of a demo photo, in pixels: what shops upload.
const SIDE: u32 = 1200;
const JPEG_QUALITY: u8 = 90;

/// Writes the demo photos into `media_dir` and renders them; how many there are.
pub async fn install(store: &dyn ImageStore, media_dir: &Path) -> Result<usize, MediaError> {
    let photos = tokio::task::spawn_blocking(photos)
        .await
        .expect("drawing the demo photos does not panic");
    let files = photos.iter();
    crate::write(
        media_dir,
        files.map(|(path, bytes)| (path.as_str(), bytes.as_slice())),
    )
    .await?;
    for (path, _) in &photos {
        crate::render_one(store, media_dir, path).await?;
    }
    Ok(photos.len())
}

/// Every demo photo: its path as product images name it, and its JPEG bytes.
pub fn photos() -> Vec<(String, Vec<u8>)> {
    fixed::products()
        .iter()
        .flat_map(|product| {
            (1..=PHOTOS_EACH).map(|n| {
                let shot = Shot::of(product.sku, product.product_type, n);
                (fixed::photo_path(product.sku, n), jpeg(&shot.draw()))
            })
        })
        .collect()
}

fn jpeg(image: &RgbImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY)
        .encode_image(image)
        .expect("encoding to memory does not fail");
    bytes
}

/// What a photo shows and how.
struct Shot {
    subject: Subject,
    /// The subject's main colour.
    colour: [f32; 3],
    /// The second photo is a closer shot.
    zoom: f32,
    seed: u64,
}

#[derive(Clone, Copy)]
enum Subject {
    /// A robe and a head, as on a mannequin.
    Costume,
    /// A ball of curls.
    Wig,
    /// A cone on a brim.
    Hat,
    /// A tube with its cap.
    Makeup,
    /// Three balloons.
    Balloons,
}

impl Shot {
    fn of(sku: &str, product_type: &str, n: usize) -> Shot {
        let seed = sku
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
                (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3)
            })
            .wrapping_add(n as u64);
        let subject = match product_type {
            "wig" => Subject::Wig,
            "hat" => Subject::Hat,
            "makeup" => Subject::Makeup,
            "balloons" => Subject::Balloons,
            _ => Subject::Costume,
        };
        let hue = (seed % 360) as f32;
        Shot {
            subject,
            colour: from_hue(hue),
            zoom: if n == 1 { 1.0 } else { 1.35 },
            seed,
        }
    }

    fn draw(&self) -> RgbImage {
        let mut grain = self.seed | 1;
        RgbImage::from_fn(SIDE, SIDE, |x, y| {
            let (u, v) = (x as f32 / SIDE as f32, y as f32 / SIDE as f32);
            // The subject is drawn about the centre, larger in the closer shot.
            let (su, sv) = (0.5 + (u - 0.5) / self.zoom, 0.5 + (v - 0.5) / self.zoom);
            let colour = self
                .subject_at(su, sv)
                .unwrap_or_else(|| backdrop(u, v, su, sv));
            // Sensor grain: what makes a photo weigh what a photo weighs.
            grain ^= grain << 13;
            grain ^= grain >> 7;
            grain ^= grain << 17;
            let noise = (grain % 13) as f32 - 6.0;
            Rgb(colour.map(|channel| (channel + noise).clamp(0.0, 255.0) as u8))
        })
    }

    /// The subject's colour at (u, v), lit from the upper left; `None` off it.
    fn subject_at(&self, u: f32, v: f32) -> Option<[f32; 3]> {
        match self.subject {
            Subject::Costume => {
                let head =
                    sphere(u, v, 0.5, 0.2, 0.08).map(|light| shade([224.0, 182.0, 150.0], light));
                let top = 0.3;
                let bottom = 0.86;
                let half_width = 0.1 + (v - top) * 0.45;
                let robe = (top..bottom).contains(&v) && (u - 0.5).abs() < half_width;
                head.or_else(|| {
                    robe.then(|| {
                        let across = (u - 0.5) / half_width;
                        let folds = 0.9 + 0.1 * (u * 90.0).sin();
                        shade(self.colour, (1.0 - across * across).sqrt() * folds)
                    })
                })
            }
            Subject::Wig => sphere(u, v, 0.5, 0.48, 0.3).map(|light| {
                let band = ((u + v) * 6.0).floor() as i32;
                let colour = from_hue(((band * 60) % 360) as f32);
                let curls = 0.8 + 0.2 * ((u * 140.0).sin() * (v * 140.0).cos());
                shade(colour, light * curls)
            }),
            Subject::Hat => {
                let brim = ellipse(u, v, 0.5, 0.72, 0.34, 0.06);
                let height = 0.72 - v;
                let cone =
                    (0.0..0.55).contains(&height) && (u - 0.5).abs() < 0.2 * (1.0 - height / 0.55);
                if cone {
                    let across = (u - 0.5) / (0.2 * (1.0 - height / 0.55)).max(0.001);
                    Some(shade(self.colour, (1.0 - across * across).max(0.0).sqrt()))
                } else {
                    brim.map(|light| shade(self.colour, 0.6 + 0.4 * light))
                }
            }
            Subject::Makeup => {
                let cap = (0.22..0.36).contains(&v) && (u - 0.5).abs() < 0.07;
                let tube = (0.36..0.82).contains(&v) && (u - 0.5).abs() < 0.09;
                let across = (u - 0.5) / if cap { 0.07 } else { 0.09 };
                let light = (1.0 - across * across).max(0.0).sqrt();
                if cap {
                    Some(shade([40.0, 40.0, 46.0], light))
                } else {
                    tube.then(|| shade([196.0, 22.0, 38.0], light))
                }
            }
            Subject::Balloons => [(0.36, 0.4, 0.17), (0.62, 0.34, 0.16), (0.52, 0.6, 0.18)]
                .into_iter()
                .find_map(|(cu, cv, r)| sphere(u, v, cu, cv, r))
                .map(|light| shade(self.colour, light)),
        }
    }
}

/// The studio backdrop: light, darker towards the corners, with the subject's
/// shadow on the floor.
fn backdrop(u: f32, v: f32, su: f32, sv: f32) -> [f32; 3] {
    let base = 242.0 - 30.0 * v;
    let (du, dv) = (u - 0.5, v - 0.45);
    let vignette = 1.0 - 0.35 * (du * du + dv * dv);
    let shadow = ellipse(su, sv, 0.5, 0.88, 0.3, 0.045).map_or(1.0, |depth| 1.0 - 0.35 * depth);
    let grey = base * vignette * shadow;
    [grey, grey * 0.985, grey * 0.96]
}

/// Lighting (0 to 1) of a sphere at (cu, cv) of radius r, at (u, v), if on it.
fn sphere(u: f32, v: f32, cu: f32, cv: f32, r: f32) -> Option<f32> {
    let (x, y) = ((u - cu) / r, (v - cv) / r);
    let d2 = x * x + y * y;
    (d2 < 1.0).then(|| {
        let z = (1.0 - d2).sqrt();
        // Light from the upper left, towards the viewer.
        let diffuse = (-0.45 * x - 0.55 * y + 0.7 * z).max(0.0);
        0.25 + 0.75 * diffuse
    })
}

/// How deep inside an ellipse (1 at its centre, 0 at its edge) (u, v) is, if inside.
fn ellipse(u: f32, v: f32, cu: f32, cv: f32, ru: f32, rv: f32) -> Option<f32> {
    let (x, y) = ((u - cu) / ru, (v - cv) / rv);
    let d2 = x * x + y * y;
    (d2 < 1.0).then_some(1.0 - d2)
}

fn shade(colour: [f32; 3], light: f32) -> [f32; 3] {
    colour.map(|channel| channel * (0.35 + 0.75 * light))
}

fn from_hue(hue: f32) -> [f32; 3] {
    let sector = hue / 60.0;
    let x = 1.0 - (sector % 2.0 - 1.0).abs();
    let (r, g, b) = match sector as u32 {
        0 => (1.0, x, 0.0),
        1 => (x, 1.0, 0.0),
        2 => (0.0, 1.0, x),
        3 => (0.0, x, 1.0),
        4 => (x, 0.0, 1.0),
        _ => (1.0, 0.0, x),
    };
    // Saturated but not neon, as dyed fabric photographs.
    [r, g, b].map(|channel| 40.0 + 160.0 * channel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_hand_written_product_has_its_photos_as_real_jpegs() {
        let photos = photos();
        assert_eq!(photos.len(), fixed::products().len() * PHOTOS_EACH);
        for (path, bytes) in &photos {
            assert!(
                path.starts_with("media/demo/") && path.ends_with(".jpg"),
                "{path}"
            );
            let decoded = image::load_from_memory(bytes).unwrap();
            assert_eq!((decoded.width(), decoded.height()), (SIDE, SIDE));
            // Real product photos of this size weigh a few hundred kilobytes.
            assert!(bytes.len() > 100_000, "{path}: {} bytes", bytes.len());
        }
    }
}
