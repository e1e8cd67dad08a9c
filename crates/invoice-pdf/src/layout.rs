//! Pages laid out as drawing operations first, then written with krilla: the page
//! count is known before any footer says "page 1 of 2", and the layout can be
//! checked without reading a PDF back.

use std::sync::LazyLock;

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::{Document, metadata::Metadata};
use rustybuzz::{Face, UnicodeBuffer};

use crate::PdfError;

/// A4, in points.
pub(crate) const PAGE_WIDTH: f32 = 595.28;
pub(crate) const PAGE_HEIGHT: f32 = 841.89;

/// One of the two faces we ship and embed.
pub(crate) struct Typeface {
    font: Font,
    face: Face<'static>,
}

static REGULAR_DATA: &[u8] = include_bytes!("../fonts/DejaVuSansCondensed.ttf");
static BOLD_DATA: &[u8] = include_bytes!("../fonts/DejaVuSansCondensed-Bold.ttf");

static REGULAR: LazyLock<Typeface> = LazyLock::new(|| Typeface::load(REGULAR_DATA));
static BOLD: LazyLock<Typeface> = LazyLock::new(|| Typeface::load(BOLD_DATA));

impl Typeface {
    fn load(data: &'static [u8]) -> Typeface {
        Typeface {
            font: Font::new(data.into(), 0).expect("the shipped font is a TrueType font"),
            face: Face::from_slice(data, 0).expect("the shipped font is a TrueType font"),
        }
    }

    /// How wide `text` is at `size` points, shaped as krilla shapes it.
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        let shaped = rustybuzz::shape(&self.face, &[], buffer);
        let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 * size / self.face.units_per_em() as f32
    }

    /// `text` in lines no wider than `width`, broken at spaces; a word wider than a
    /// line is broken where it must.
    pub(crate) fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.lines() {
            let mut line = String::new();
            // Broken at plain spaces only: a no-break space (French `TVA\u{a0}:`) holds.
            for word in paragraph.split(' ').filter(|word| !word.is_empty()) {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, size) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                line = self.break_word(word, size, width, &mut lines);
            }
            if !line.is_empty() {
                lines.push(line);
            }
        }
        if lines.is_empty() {
            lines.push(String::new());
        }
        lines
    }

    /// Pushes the full-width pieces of `word` onto `lines`; the piece left over.
    fn break_word(&self, word: &str, size: f32, width: f32, lines: &mut Vec<String>) -> String {
        let mut piece = String::new();
        for character in word.chars() {
            piece.push(character);
            if self.width(&piece, size) > width && piece.chars().count() > 1 {
                piece.pop();
                lines.push(std::mem::take(&mut piece));
                piece.push(character);
            }
        }
        piece
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

impl Weight {
    pub(crate) fn typeface(self) -> &'static Typeface {
        match self {
            Weight::Regular => &REGULAR,
            Weight::Bold => &BOLD,
        }
    }
}

/// Inks, as RGB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ink(pub u8, pub u8, pub u8);

pub(crate) const BLACK: Ink = Ink(0x1a, 0x1a, 0x1a);
pub(crate) const GREY: Ink = Ink(0x5f, 0x63, 0x68);
pub(crate) const RULE: Ink = Ink(0xc4, 0xc7, 0xcc);
pub(crate) const SHADE: Ink = Ink(0xee, 0xf0, 0xf2);
pub(crate) const WARNING: Ink = Ink(0xb3, 0x26, 0x1e);
pub(crate) const WARNING_SHADE: Ink = Ink(0xfc, 0xe8, 0xe6);

/// One thing drawn on a page; `y` is a text's baseline, or a shape's top.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Op {
    Text {
        x: f32,
        y: f32,
        weight: Weight,
        size: f32,
        ink: Ink,
        text: String,
    },
    Fill {
        rect: (f32, f32, f32, f32),
        ink: Ink,
    },
    Rule {
        from: (f32, f32),
        to: (f32, f32),
        ink: Ink,
    },
    /// Dark modules of a QR code, `side` points square in all.
    Qr {
        x: f32,
        y: f32,
        side: f32,
        modules: Vec<Vec<bool>>,
    },
}

/// Text drawn with one face, size and ink.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub weight: Weight,
    pub size: f32,
    pub ink: Ink,
}

impl Style {
    pub(crate) const fn new(weight: Weight, size: f32, ink: Ink) -> Style {
        Style { weight, size, ink }
    }

    pub(crate) fn width(self, text: &str) -> f32 {
        self.weight.typeface().width(text, self.size)
    }

    pub(crate) fn wrap(self, text: &str, width: f32) -> Vec<String> {
        self.weight.typeface().wrap(text, self.size, width)
    }
}

/// A page being laid out.
#[derive(Debug, Default)]
pub(crate) struct Page {
    pub ops: Vec<Op>,
}

impl Page {
    pub(crate) fn text(&mut self, x: f32, y: f32, style: Style, text: &str) {
        if text.is_empty() {
            return;
        }
        self.ops.push(Op::Text {
            x,
            y,
            weight: style.weight,
            size: style.size,
            ink: style.ink,
            text: text.to_owned(),
        });
    }

    /// `text` ending at `right`.
    pub(crate) fn text_right(&mut self, right: f32, y: f32, style: Style, text: &str) {
        self.text(right - style.width(text), y, style, text);
    }

    /// `text` centred on `centre`.
    pub(crate) fn text_centred(&mut self, centre: f32, y: f32, style: Style, text: &str) {
        self.text(centre - style.width(text) / 2.0, y, style, text);
    }

    pub(crate) fn fill(&mut self, x: f32, y: f32, width: f32, height: f32, ink: Ink) {
        self.ops.push(Op::Fill {
            rect: (x, y, width, height),
            ink,
        });
    }

    pub(crate) fn rule(&mut self, x1: f32, x2: f32, y: f32, ink: Ink) {
        self.ops.push(Op::Rule {
            from: (x1, y),
            to: (x2, y),
            ink,
        });
    }
}

/// Writes `pages` as a PDF.
pub(crate) fn write(pages: &[Page], title: String, language: &str) -> Result<Vec<u8>, PdfError> {
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title)
            .language(language.to_owned())
            .creator("Comptoir".to_owned()),
    );
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or(PdfError::PageSize)?;
    for laid_out in pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in &laid_out.ops {
            draw(&mut surface, op);
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| PdfError::Writing(e.to_string()))
}

fn fill_of(ink: Ink) -> Fill {
    Fill {
        paint: rgb::Color::new(ink.0, ink.1, ink.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn draw(surface: &mut Surface<'_>, op: &Op) {
    match op {
        Op::Text {
            x,
            y,
            weight,
            size,
            ink,
            text,
        } => {
            surface.set_fill(Some(fill_of(*ink)));
            surface.draw_text(
                Point::from_xy(*x, *y),
                weight.typeface().font.clone(),
                *size,
                text,
                false,
                TextDirection::LeftToRight,
            );
        }
        Op::Fill { rect, ink } => {
            let mut path = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(rect.0, rect.1, rect.2, rect.3) {
                path.push_rect(rect);
            }
            if let Some(path) = path.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(fill_of(*ink)));
                surface.draw_path(&path);
            }
        }
        Op::Rule { from, to, ink } => {
            let mut path = PathBuilder::new();
            path.move_to(from.0, from.1);
            path.line_to(to.0, to.1);
            if let Some(path) = path.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: rgb::Color::new(ink.0, ink.1, ink.2).into(),
                    width: 0.6,
                    ..Default::default()
                }));
                surface.draw_path(&path);
                surface.set_stroke(None);
            }
        }
        Op::Qr {
            x,
            y,
            side,
            modules,
        } => {
            let module = side / modules.len().max(1) as f32;
            let mut path = PathBuilder::new();
            for (row, dark) in modules.iter().enumerate() {
                // Runs of dark modules on a row as one rectangle each.
                let mut column = 0;
                while column < dark.len() {
                    if !dark[column] {
                        column += 1;
                        continue;
                    }
                    let start = column;
                    while column < dark.len() && dark[column] {
                        column += 1;
                    }
                    let rect = Rect::from_xywh(
                        x + start as f32 * module,
                        y + row as f32 * module,
                        (column - start) as f32 * module,
                        module,
                    );
                    if let Some(rect) = rect {
                        path.push_rect(rect);
                    }
                }
            }
            if let Some(path) = path.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(fill_of(Ink(0, 0, 0))));
                surface.draw_path(&path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_measured_and_wrapped_within_its_width() {
        let regular = Weight::Regular.typeface();
        let one = regular.width("Disfraz", 10.0);
        assert!(one > 20.0 && one < 60.0, "{one}");
        assert!((regular.width("Disfraz", 20.0) - 2.0 * one).abs() < 0.01);
        assert!(Weight::Bold.typeface().width("Disfraz", 10.0) > one);

        let text = "Disfraz de bruja con sombrero puntiagudo y escoba, talla M";
        let lines = regular.wrap(text, 9.0, 100.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|line| regular.width(line, 9.0) <= 100.0));
        assert_eq!(lines.join(" "), text, "nothing lost at the breaks");

        let word = "Superextraordinariamente-largo-sin-espacios-posibles";
        let pieces = regular.wrap(word, 9.0, 60.0);
        assert!(pieces.len() > 1);
        assert!(pieces.iter().all(|line| regular.width(line, 9.0) <= 60.0));
        assert_eq!(pieces.concat(), word);
        assert_eq!(regular.wrap("", 9.0, 60.0), vec![String::new()]);
    }
}
