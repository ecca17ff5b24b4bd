//! Is a picture decoded once per build, or once per handout? (issue 15; numbers in
//! bench/RESULTS.md, "Issue 15: pictures".)
//!
//! ```sh
//! cargo run --release --example picture_decode -- [--handouts N] [--jobs J] [--runs R] [--only png|jpeg]
//! ```
//!
//! Writes a 3000×2000 PNG (a gradient with noise, so it compresses like a photo, not
//! like a flat colour), then:
//!
//! 1. times decoding it alone, the way typst does (`RasterImage`, comemo's caches
//!    emptied before each run) — the cost a per-handout decode would add to every
//!    handout;
//! 2. builds N handouts that each show that picture and N identical ones without it
//!    (the real build, `--force`, no large print, no EPUB; the best of R runs each) and
//!    prints the difference per handout.
//!
//! If the picture were decoded per handout, the difference would be at least the decode
//! time × N. What remains per handout is what cannot be shared between two PDFs: laying
//! the picture out and writing its pixels into each file (typst-pdf's image conversion
//! is memoized too, but every PDF carries its own copy of the image stream).

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use handouts::build::{BuildOptions, build};
use handouts::config::ConfigFile;
use typst::foundations::{Bytes, Smart};
use typst::visualize::{ExchangeFormat, RasterImage};

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

const WIDTH: u32 = 3000;
const HEIGHT: u32 = 2000;

/// `WIDTH`×`HEIGHT` RGB pixels: smooth gradients plus a little pseudo-random noise, so
/// the picture compresses like a photo, not like a flat colour.
fn pixels() -> Vec<u8> {
    let mut seed: u32 = 0x2545_F491;
    let mut data = Vec::with_capacity((WIDTH * HEIGHT * 3) as usize);
    for y in 0..HEIGHT {
        for x in 0..WIDTH {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let noise = (seed % 9) as i32 - 4;
            let r = (x * 255 / WIDTH) as i32 + noise;
            let g = (y * 255 / HEIGHT) as i32 + noise;
            let b = (((x + y) / 12) % 256) as i32 + noise;
            data.extend([r, g, b].map(|c| c.clamp(0, 255) as u8));
        }
    }
    data
}

fn png_file(data: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("PNG header");
    writer.write_image_data(data).expect("PNG data");
    writer.finish().expect("PNG end");
    bytes
}

fn jpeg_file(data: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 85)
        .encode(data, WIDTH, HEIGHT, image::ExtendedColorType::Rgb8)
        .expect("JPEG");
    bytes
}

fn article(n: usize, picture: Option<&str>) -> String {
    let picture = match picture {
        Some(file) => format!(
            "![A colour gradient with fine grain](pictures/{file} \"A large photo, scaled to the text width.\")\n\n"
        ),
        None => String::new(),
    };
    format!(
        "---\ntitle: \"Handout {n}\"\nlang: en\nreviewed: 2026-01-01\n---\n\
         Wash your hands with soap and water before you eat and after you use the toilet.\n\n\
         {picture}\
         ## When to call\n\nCall us if you have a fever or a rash that spreads.\n"
    )
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let (mut handouts, mut jobs, mut runs) = (20usize, None, 3usize);
    let mut only: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--handouts" => handouts = value()?.parse()?,
            "--jobs" => jobs = Some(value()?.parse()?),
            "--runs" => runs = value()?.parse()?,
            "--only" => only = Some(value()?.to_ascii_uppercase()),
            _ => {
                return Err(
                    "usage: picture_decode [--handouts N] [--jobs J] [--runs R] [--only png|jpeg]".into()
                );
            }
        }
    }
    let data = pixels();
    let config_path = Path::new("handouts.toml");
    let batch = |picture: Option<(&str, &[u8])>| -> Result<(Duration, usize), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("pictures"))?;
        if let Some((file, bytes)) = picture {
            std::fs::write(content.join("pictures").join(file), bytes)?;
        }
        for n in 0..handouts {
            std::fs::write(content.join(format!("handout-{n:03}.md")), article(n, picture.map(|p| p.0)))?;
        }
        let mut config =
            ConfigFile::load(config_path)?.resolve(config_path, content, dir.path().join("out"), jobs);
        config.handout.large_print = false;
        let options = BuildOptions { quiet: true, force: true, ..BuildOptions::default() };
        let mut best = Duration::MAX;
        let mut size = 0;
        for _ in 0..runs.max(1) {
            let start = Instant::now();
            let report = build(&config, &options)?;
            best = best.min(start.elapsed());
            if report.failed() {
                return Err(format!("build failed: {:?}", report.failures).into());
            }
            size = std::fs::read(dir.path().join("out/pdf/handout-0.pdf"))?.len();
        }
        Ok((best, size))
    };
    let (without, size) = batch(None)?;
    println!(
        "{handouts} handouts without a picture: {:.0} ms (best of {runs}), {:.1} ms per handout, PDF {:.0} KiB",
        without.as_secs_f64() * 1e3,
        without.as_secs_f64() * 1e3 / handouts as f64,
        size as f64 / 1024.0
    );
    for (name, file, format, bytes) in [
        ("PNG", "large.png", ExchangeFormat::Png, png_file(&data)),
        ("JPEG", "large.jpg", ExchangeFormat::Jpg, jpeg_file(&data)),
    ] {
        if only.as_ref().is_some_and(|only| only != name) {
            continue;
        }
        println!("\n{name} {WIDTH}x{HEIGHT}, {:.1} MiB", bytes.len() as f64 / (1024.0 * 1024.0));
        // 1. Decoding alone, as typst does it.
        let shared = Bytes::new(bytes.clone());
        let mut decode = Vec::new();
        for _ in 0..5 {
            typst::comemo::evict(0);
            let start = Instant::now();
            let image = RasterImage::new(shared.clone(), format, Smart::Auto).map_err(|e| e.to_string())?;
            decode.push(start.elapsed());
            assert_eq!(image.width(), WIDTH);
        }
        let start = Instant::now();
        RasterImage::new(shared.clone(), format, Smart::Auto).map_err(|e| e.to_string())?;
        let memoized = start.elapsed();
        typst::comemo::evict(0);
        let decode = median(&mut decode);
        println!(
            "  decode alone (median of 5): {:.1} ms; the same bytes again, memoized: {:.3} ms",
            decode.as_secs_f64() * 1e3,
            memoized.as_secs_f64() * 1e3
        );
        // 2. The same handouts, each showing the picture.
        let (with, size) = batch(Some((file, &bytes)))?;
        let extra = with.saturating_sub(without);
        println!(
            "  {handouts} handouts with it: {:.0} ms (best of {runs}), PDF {:.0} KiB; the picture adds {:.1} ms per handout \
             (decoding per handout would add at least {:.1})",
            with.as_secs_f64() * 1e3,
            size as f64 / 1024.0,
            extra.as_secs_f64() * 1e3 / handouts as f64,
            decode.as_secs_f64() * 1e3
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("picture_decode: {err}");
            ExitCode::FAILURE
        }
    }
}
