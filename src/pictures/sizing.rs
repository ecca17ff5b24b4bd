//! Pictures stored at the size they are shown (issues 24 and 25): a 3000×2000 photo
//! embedded whole is printed at over 500 pixels per inch and made a one-page handout
//! 15 MiB. Each PDF gets a copy of at most [`PRINT_PPI`] at the largest size the
//! template ever prints a picture ([`PRINT_BUDGET`]), the EPUB and the site one at most
//! [`SCREEN_BUDGET`] wide. A copy is made once per build ([`super::Picture`] keeps it)
//! and only when a picture is over its budget: anything else is the file's own bytes.
//!
//! A copy never changes how big the picture is printed. The template sizes a picture
//! by the text width and a third of the page height, or by its natural size when that
//! is smaller; typst takes the natural size from the pixels and the file's pixel density
//! (EXIF, else JFIF, else PNG `pHYs`; 72 per inch without one). So a copy carries the
//! original's density scaled with its pixels (a copy of a file without one has none:
//! shrunk only down to the budget, it is still at least as large as the largest
//! printed size), and the picture is decoded the way typst decodes it (`RasterImage`:
//! the EXIF rotation applied, the colour profile kept), which also means a picture
//! within its budget was decoded once for typst, not twice.
//!
//! Copies are the same bytes for the same file: fixed encoder settings, no time, no
//! metadata but the colour profile and the density.

use std::borrow::Cow;

use image::imageops::FilterType;
use image::{ColorType, DynamicImage, ImageEncoder};
use typst::foundations::{Bytes, Smart};
use typst::visualize::{ExchangeFormat, RasterImage};

use super::problem::Format;

/// A box, in pixels, that a copy of a picture must fit in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Budget {
    pub width: u32,
    pub height: u32,
}

impl Budget {
    /// The size of a `width`×`height` picture shrunk, keeping its shape, to fit the
    /// budget; `None` when it fits already.
    pub fn fit(self, width: u32, height: u32) -> Option<(u32, u32)> {
        if width <= self.width && height <= self.height {
            return None;
        }
        let scale = (self.width as f64 / width as f64).min(self.height as f64 / height as f64);
        let side = |n: u32| ((n as f64 * scale).round() as u32).max(1);
        Some((side(width).min(self.width), side(height).min(self.height)))
    }
}

/// Pixels per inch on paper: what print shops ask of a photo, and more than an office
/// laser printer or a photocopier shows.
pub const PRINT_PPI: f64 = 300.0;

/// The largest a picture is ever printed, in inches: (width, height). In
/// templates/handout.typ, `picture` shows a picture at most the text width wide
/// (`text-width()`: the page width less twice `margin-x`, 20 mm, in regular and large
/// print alike) and at most a third of the page height (`tallest`). The widest text is
/// US Letter's, 8.5 in − 40 mm = 6.93 in (A4: 170 mm = 6.69 in); the tallest third is
/// A4's, 99 mm = 3.90 in (Letter: 3.67 in). `tests/pictures_resample.rs` prints the
/// widest and the tallest picture on both papers and checks the template against this.
pub const LARGEST_PRINT_INCHES: (f64, f64) = (8.5 - 2.0 * 20.0 / 25.4, 297.0 / 3.0 / 25.4);

/// The most pixels a picture keeps in a PDF: [`LARGEST_PRINT_INCHES`] at [`PRINT_PPI`],
/// rounded up (2077.6 × 1169.3). A 3000×2000 photo is kept at 1755×1170.
pub const PRINT_BUDGET: Budget = Budget { width: 2078, height: 1170 };

/// The most pixels across a picture in the EPUB and on the site: wider than any reading
/// column, sharp on a high-density screen. Wider than [`PRINT_BUDGET`] allows for a
/// wide picture, so it is a copy of its own, made from the original.
pub const SCREEN_BUDGET: Budget = Budget { width: 1600, height: u32::MAX };

/// The quality of a JPEG copy (libjpeg's scale): no visible loss in a printed photo.
pub const JPEG_QUALITY: u8 = 85;

/// Everything that decides what a copy looks like, for the pictures' fingerprint:
/// changing a budget, the quality or (with the last number) the code remakes the
/// outputs that show pictures.
pub(super) const RULES: (Budget, Budget, u8, u32) = (PRINT_BUDGET, SCREEN_BUDGET, JPEG_QUALITY, 1);

/// `original`, a file in `format`, as a copy that fits `budget`; `None` when the
/// original is what to show: an SVG, a picture within the budget, a JPEG whose copy
/// would not be smaller (a PDF holds a JPEG's own bytes), a CMYK JPEG or a colour
/// profile that does not fit the pixels (a copy could change the colours), or a file
/// that does not decode (typst then reports it, as it did before copies).
///
/// A PNG copy stays a PNG, even of a photo that would be smaller as a JPEG: the file's
/// name, which typst reads the format from and the EPUB and the site name it by, keeps
/// saying PNG, and a PNG in a handout is most often a drawing or a screenshot, whose
/// lines and lettering JPEG blurs. Its pixels are what a PDF holds (typst compresses
/// them again), so fewer pixels are most of the gain anyway.
pub(super) fn fit(original: &Bytes, format: Format, budget: Budget) -> Option<Bytes> {
    let exchange = match format {
        Format::Png => ExchangeFormat::Png,
        Format::Jpeg => ExchangeFormat::Jpg,
        Format::Svg => return None,
    };
    // The header first: most pictures fit, and a rotated one fits either way round.
    let header = Header::read(original, format)?;
    if header.cmyk
        || budget.fit(header.width, header.height).is_none()
            && budget.fit(header.height, header.width).is_none()
    {
        return None;
    }
    let raster = RasterImage::new(original.clone(), exchange, Smart::Auto).ok()?;
    let (width, height) = (raster.width(), raster.height());
    let (mut new_width, mut new_height) = budget.fit(width, height)?;
    let mut density = raster.dpi().map(|dpi| dpi * new_width as f64 / width as f64);
    // JFIF holds a whole number of pixels per inch: that number first, then the pixels
    // that give the original's natural size at it (to half a pixel).
    if let (Format::Jpeg, Some(dpi), Some(scaled)) = (format, raster.dpi(), density)
        && scaled >= 1.0
    {
        let scale = scaled.floor() / dpi;
        let side = |n: u32| ((n as f64 * scale).round() as u32).max(1);
        (new_width, new_height, density) = (side(width), side(height), Some(scaled.floor()));
    }
    let icc = raster.icc().map(|icc| icc.as_slice());
    if icc.is_some_and(|icc| !profile_fits(icc, raster.dynamic().color())) {
        return None;
    }
    let pixels = resample(raster.dynamic(), new_width, new_height);
    match format {
        Format::Jpeg => jpeg(&pixels, density, icc).filter(|copy| copy.len() < original.len()),
        Format::Png => png(&pixels, density, icc),
        Format::Svg => None,
    }
    .map(Bytes::new)
}

/// The size a picture is shown at by a browser before any style, in CSS pixels: a
/// PNG's or JPEG's pixels (as stored: an EXIF turn is not applied), an SVG's `width` and
/// `height` when they are plain numbers or pixels, else its `viewBox`. Pages give it to
/// `<img width height>` so the space is kept before the picture arrives. `None` when
/// the file does not say.
pub fn natural_size(bytes: &[u8], format: Format) -> Option<(u32, u32)> {
    match format {
        Format::Png | Format::Jpeg => Header::read(bytes, format).map(|h| (h.width, h.height)),
        Format::Svg => {
            let text = std::str::from_utf8(bytes).ok()?;
            let document = roxmltree::Document::parse(text).ok()?;
            let root = document.root_element();
            let length = |name: &str| {
                let value = root.attribute(name)?.trim();
                value.strip_suffix("px").unwrap_or(value).trim().parse::<f64>().ok()
            };
            let (width, height) = match (length("width"), length("height")) {
                (Some(width), Some(height)) => (width, height),
                _ => {
                    let view: Vec<f64> = root
                        .attribute("viewBox")?
                        .split([' ', ','])
                        .filter(|part| !part.is_empty())
                        .map(|part| part.parse::<f64>())
                        .collect::<Result<_, _>>()
                        .ok()?;
                    (*view.get(2)?, *view.get(3)?)
                }
            };
            let pixels =
                |value: f64| (value.is_finite() && value >= 1.0).then(|| value.round().min(1e6) as u32);
            Some((pixels(width)?, pixels(height)?))
        }
    }
}

/// What a picture file's header says, read without decoding the picture.
#[derive(Debug, PartialEq, Eq)]
struct Header {
    /// As stored, before any EXIF rotation.
    width: u32,
    height: u32,
    /// A JPEG in CMYK (or YCCK): four colour components.
    cmyk: bool,
}

impl Header {
    fn read(bytes: &[u8], format: Format) -> Option<Header> {
        let u16_at = |i: usize| Some(u16::from_be_bytes(bytes.get(i..i + 2)?.try_into().ok()?));
        let u32_at = |i: usize| Some(u32::from_be_bytes(bytes.get(i..i + 4)?.try_into().ok()?));
        match format {
            // The signature, then IHDR: length, "IHDR", width, height.
            Format::Png => (bytes.get(12..16)? == b"IHDR")
                .then(|| Some(Header { width: u32_at(16)?, height: u32_at(20)?, cmyk: false }))?,
            // Segments after SOI until the frame header (SOF0–SOF15 but DHT, JPG, DAC):
            // length, precision, height, width, components.
            Format::Jpeg => {
                let mut at = 2;
                loop {
                    while *bytes.get(at)? != 0xFF || *bytes.get(at + 1)? == 0xFF {
                        at += 1;
                    }
                    let marker = *bytes.get(at + 1)?;
                    at += 2;
                    if marker == 0x01 || (0xD0..=0xD9).contains(&marker) {
                        continue;
                    }
                    if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
                        return Some(Header {
                            height: u16_at(at + 3)?.into(),
                            width: u16_at(at + 5)?.into(),
                            cmyk: *bytes.get(at + 7)? == 4,
                        });
                    }
                    at += usize::from(u16_at(at)?);
                }
            }
            Format::Svg => None,
        }
    }
}

/// `image` at `width`×`height` (Lanczos3), 8 bits a channel, with the same channels
/// (grey stays grey; alpha stays). Transparent pictures are resampled with their
/// colours weighted by alpha, so the colour of invisible pixels does not bleed into
/// the edges as a dark or light fringe.
fn resample(image: &DynamicImage, width: u32, height: u32) -> DynamicImage {
    let filter = FilterType::Lanczos3;
    let color = image.color();
    if !color.has_alpha() {
        let small = image.resize_exact(width, height, filter);
        return if color.has_color() { small.to_rgb8().into() } else { small.to_luma8().into() };
    }
    let mut premultiplied = image.to_rgba32f();
    for pixel in premultiplied.pixels_mut() {
        let alpha = pixel[3];
        pixel.0[..3].iter_mut().for_each(|c| *c *= alpha);
    }
    let mut small = image::imageops::resize(&premultiplied, width, height, filter);
    for pixel in small.pixels_mut() {
        let alpha = pixel[3].clamp(0.0, 1.0);
        pixel[3] = alpha;
        pixel.0[..3]
            .iter_mut()
            .for_each(|c| *c = if alpha > 0.0 { (*c / alpha).clamp(0.0, 1.0) } else { 0.0 });
    }
    let small = DynamicImage::ImageRgba32F(small);
    if color.has_color() { small.to_rgba8().into() } else { small.to_luma_alpha8().into() }
}

/// Whether an ICC profile is for the colour model of `color` (its header's colour
/// space: `RGB ` or `GRAY`).
fn profile_fits(icc: &[u8], color: ColorType) -> bool {
    let space = icc.get(16..20);
    if color.has_color() { space == Some(b"RGB ") } else { space == Some(b"GRAY") }
}

fn jpeg(pixels: &DynamicImage, density: Option<f64>, icc: Option<&[u8]>) -> Option<Vec<u8>> {
    use image::codecs::jpeg::{JpegEncoder, PixelDensity};
    let mut out = Vec::new();
    let mut encoder = JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
    if let Some(dpi) = density {
        encoder.set_pixel_density(PixelDensity::dpi(dpi.round().clamp(1.0, u16::MAX.into()) as u16));
    }
    if let Some(icc) = icc {
        encoder.set_icc_profile(icc.to_vec()).ok()?;
    }
    pixels.write_with_encoder(encoder).ok()?;
    Some(out)
}

fn png(pixels: &DynamicImage, density: Option<f64>, icc: Option<&[u8]>) -> Option<Vec<u8>> {
    let color = match pixels.color() {
        ColorType::L8 => png::ColorType::Grayscale,
        ColorType::La8 => png::ColorType::GrayscaleAlpha,
        ColorType::Rgb8 => png::ColorType::Rgb,
        ColorType::Rgba8 => png::ColorType::Rgba,
        _ => return None,
    };
    let mut info = png::Info::with_size(pixels.width(), pixels.height());
    info.icc_profile = icc.map(Cow::Borrowed);
    // Pixels per metre, as typst reads it back (× 0.0254).
    info.pixel_dims = density.map(|dpi| {
        let per_metre = (dpi / 0.0254).round().clamp(1.0, u32::MAX.into()) as u32;
        png::PixelDimensions { xppu: per_metre, yppu: per_metre, unit: png::Unit::Meter }
    });
    let mut out = Vec::new();
    let mut encoder = png::Encoder::with_info(&mut out, info).ok()?;
    encoder.set_color(color);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Balanced);
    let mut writer = encoder.write_header().ok()?;
    writer.write_image_data(pixels.as_bytes()).ok()?;
    writer.finish().ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_print_budget_is_the_largest_print_at_300_ppi() {
        let (width, height) = LARGEST_PRINT_INCHES;
        assert_eq!(
            (PRINT_BUDGET.width, PRINT_BUDGET.height),
            ((width * PRINT_PPI).ceil() as u32, (height * PRINT_PPI).ceil() as u32)
        );
    }

    #[test]
    fn budgets_keep_the_shape() {
        assert_eq!(PRINT_BUDGET.fit(2078, 1170), None);
        assert_eq!(PRINT_BUDGET.fit(3000, 2000), Some((1755, 1170)));
        assert_eq!(PRINT_BUDGET.fit(6000, 1000), Some((2078, 346)));
        assert_eq!(PRINT_BUDGET.fit(10, 100_000), Some((1, 1170)));
        assert_eq!(SCREEN_BUDGET.fit(3000, 2000), Some((1600, 1067)));
        assert_eq!(SCREEN_BUDGET.fit(1000, 9000), None);
    }

    /// A photo-like `width`×`height` picture: gradients and noise.
    fn photo(width: u32, height: u32) -> image::RgbImage {
        let mut seed: u32 = 0x2545_F491;
        image::RgbImage::from_fn(width, height, |x, y| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let noise = (seed % 41) as i32 - 20;
            let c = |v: u32| (v as i32 + noise).clamp(0, 255) as u8;
            image::Rgb([c(x * 255 / width), c(y * 255 / height), c((x + y) / 7 % 256)])
        })
    }

    fn jpeg_file(image: &image::RgbImage, dpi: Option<u16>) -> Bytes {
        let mut out = Vec::new();
        let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95);
        if let Some(dpi) = dpi {
            encoder.set_pixel_density(image::codecs::jpeg::PixelDensity::dpi(dpi));
        }
        image.write_with_encoder(encoder).unwrap();
        Bytes::new(out)
    }

    fn png_file(image: &DynamicImage) -> Bytes {
        let mut out = Vec::new();
        image.write_with_encoder(image::codecs::png::PngEncoder::new(&mut out)).unwrap();
        Bytes::new(out)
    }

    fn decoded(bytes: &Bytes, format: ExchangeFormat) -> RasterImage {
        RasterImage::new(bytes.clone(), format, Smart::Auto).unwrap()
    }

    #[test]
    fn natural_sizes_come_from_headers_and_svg_attributes() {
        let svg = |text: &str| natural_size(text.as_bytes(), Format::Svg);
        assert_eq!(
            svg(r#"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40px"/>"#),
            Some((120, 40))
        );
        assert_eq!(svg(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64,32"/>"#), Some((64, 32)));
        assert_eq!(
            svg(r#"<svg xmlns="http://www.w3.org/2000/svg" width="50%" viewBox="0 0 10 20"/>"#),
            Some((10, 20))
        );
        assert_eq!(svg(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 0 20"/>"#), None);
        assert_eq!(svg("not svg"), None);
        let png = png_file(&DynamicImage::ImageRgb8(photo(30, 20)));
        assert_eq!(natural_size(&png, Format::Png), Some((30, 20)));
    }

    #[test]
    fn headers_are_read_without_decoding() {
        let jpeg = jpeg_file(&photo(30, 20), None);
        assert_eq!(Header::read(&jpeg, Format::Jpeg), Some(Header { width: 30, height: 20, cmyk: false }));
        let png = png_file(&DynamicImage::ImageRgb8(photo(30, 20)));
        assert_eq!(Header::read(&png, Format::Png), Some(Header { width: 30, height: 20, cmyk: false }));
        assert_eq!(Header::read(&jpeg[..4], Format::Jpeg), None);
        // A CMYK frame (four components) after a comment with a stray fill byte.
        let cmyk = b"\xFF\xD8\xFF\xFE\x00\x04hi\xFF\xFF\xC2\x00\x14\x08\x00\x20\x00\x30\x04";
        assert_eq!(Header::read(cmyk, Format::Jpeg), Some(Header { width: 48, height: 32, cmyk: true }));
        assert_eq!(Header::read(b"\x89PNG", Format::Png), None);
    }

    #[test]
    fn pictures_within_the_budget_are_not_copied() {
        let jpeg = jpeg_file(&photo(1600, 1000), None);
        assert_eq!(fit(&jpeg, Format::Jpeg, PRINT_BUDGET), None);
        // Over the screen budget, not the print one.
        assert!(fit(&jpeg, Format::Jpeg, SCREEN_BUDGET).is_none());
        let wide = jpeg_file(&photo(1800, 1000), None);
        assert_eq!(fit(&wide, Format::Jpeg, PRINT_BUDGET), None);
        assert!(fit(&wide, Format::Jpeg, SCREEN_BUDGET).is_some());
        assert_eq!(fit(&Bytes::new(b"<svg/>".to_vec()), Format::Svg, Budget { width: 1, height: 1 }), None);
        // Not a picture after all: typst reports it.
        assert_eq!(fit(&Bytes::new(b"\xFF\xD8\xFF\xE0junk".to_vec()), Format::Jpeg, PRINT_BUDGET), None);
    }

    #[test]
    fn a_large_jpeg_is_a_smaller_jpeg_the_same_every_time() {
        let original = jpeg_file(&photo(3000, 2000), None);
        let copy = fit(&original, Format::Jpeg, PRINT_BUDGET).expect("a copy");
        assert!(copy.len() * 3 < original.len(), "{} → {}", original.len(), copy.len());
        let raster = decoded(&copy, ExchangeFormat::Jpg);
        assert_eq!((raster.width(), raster.height(), raster.dpi()), (1755, 1170, None));
        assert_eq!(fit(&original, Format::Jpeg, PRINT_BUDGET), Some(copy), "deterministic");
    }

    #[test]
    fn a_copy_keeps_the_natural_size_its_density_gives() {
        for dpi in [72, 600] {
            let original = jpeg_file(&photo(3000, 2000), Some(dpi));
            let copy = fit(&original, Format::Jpeg, PRINT_BUDGET).expect("a copy");
            let (before, after) =
                (decoded(&original, ExchangeFormat::Jpg), decoded(&copy, ExchangeFormat::Jpg));
            let inches = |r: &RasterImage| r.width() as f64 / r.dpi().unwrap();
            // Within half a pixel of the copy.
            let tolerance = 0.5 / after.dpi().unwrap();
            assert!((inches(&before) - inches(&after)).abs() <= tolerance, "{dpi} dpi");
        }
    }

    #[test]
    fn a_transparent_png_stays_a_transparent_png_without_fringes() {
        // Opaque red on the left, invisible green on the right.
        let image = image::RgbaImage::from_fn(2400, 100, |x, _| {
            if x < 1200 { image::Rgba([255, 0, 0, 255]) } else { image::Rgba([0, 255, 0, 0]) }
        });
        let original = png_file(&DynamicImage::ImageRgba8(image));
        let copy = fit(&original, Format::Png, PRINT_BUDGET).expect("a copy");
        assert_eq!(Format::sniff(&copy), Some(Format::Png));
        let raster = decoded(&copy, ExchangeFormat::Png);
        assert_eq!((raster.width(), raster.height()), (2078, 87));
        let pixels = raster.dynamic().to_rgba8();
        for pixel in pixels.pixels().filter(|p| p[3] > 0) {
            assert!(pixel[1] < 8, "green bled into {pixel:?}");
        }
        assert_eq!(fit(&original, Format::Png, PRINT_BUDGET), Some(copy), "deterministic");
    }

    #[test]
    fn a_png_copy_keeps_its_density_and_a_rotated_jpeg_its_turn() {
        // 600 pixels per inch as pixels per metre.
        let image = DynamicImage::ImageRgb8(photo(3000, 2000));
        let mut out = Vec::new();
        let mut info = png::Info::with_size(3000, 2000);
        info.pixel_dims = Some(png::PixelDimensions { xppu: 23622, yppu: 23622, unit: png::Unit::Meter });
        let mut encoder = png::Encoder::with_info(&mut out, info).unwrap();
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(image.as_bytes()).unwrap();
        writer.finish().unwrap();
        let original = Bytes::new(out);
        let copy = fit(&original, Format::Png, PRINT_BUDGET).expect("a copy");
        let (before, after) = (decoded(&original, ExchangeFormat::Png), decoded(&copy, ExchangeFormat::Png));
        assert_eq!((after.width(), after.height()), (1755, 1170));
        let inches = |r: &RasterImage| r.width() as f64 / r.dpi().unwrap();
        assert!((inches(&before) - inches(&after)).abs() < 0.5 / after.dpi().unwrap());

        // EXIF orientation 6 (turn 90° clockwise): 3000×2000 as stored, 2000×3000 shown.
        let exif = [
            b"MM\0\x2a\0\0\0\x08\0\x01".as_slice(),
            &[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0],
            &[0, 0, 0, 0],
        ]
        .concat();
        let mut out = Vec::new();
        let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95);
        encoder.set_exif_metadata(exif).unwrap();
        photo(3000, 2000).write_with_encoder(encoder).unwrap();
        let original = Bytes::new(out);
        assert_eq!(decoded(&original, ExchangeFormat::Jpg).exif_rotation(), Some(6));
        let copy = decoded(&fit(&original, Format::Jpeg, PRINT_BUDGET).expect("a copy"), ExchangeFormat::Jpg);
        assert_eq!((copy.width(), copy.height(), copy.exif_rotation()), (780, 1170, None));
    }
}
