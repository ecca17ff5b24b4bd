//! What a large photo costs a handout: the PDF's size and the build's time (issues 24
//! and 25; numbers in bench/RESULTS.md). It drives a `handouts` binary given by path,
//! so the same command measures two versions:
//!
//! ```sh
//! cargo build --release && cp target/release/handouts /tmp/handouts-new
//! cargo run --example picture_size -- --bin /tmp/handouts-new [--runs R]
//! ```
//!
//! Writes a 3000×2000 photo-like picture (gradients under strong grain, the generator
//! of `tests/pictures_resample.rs`) as a JPEG (quality 95) and as a PNG, and for each,
//! and for no picture, builds a project of one article showing it (`build --force`, the
//! regular and the large-print PDF, the EPUB and the site: everything that shows a
//! picture), the best of R runs, each run a new process.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

fn photo(width: u32, height: u32) -> image::RgbImage {
    let mut seed: u32 = 0x9E37_79B9;
    image::RgbImage::from_fn(width, height, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = (seed % 61) as i32 - 30;
        let c = |v: u32| (v as i32 + noise).clamp(0, 255) as u8;
        image::Rgb([c(x * 255 / width), c(y * 255 / height), c((x / 3 + y / 2) % 256)])
    })
}

fn encoded(image: &image::RgbImage, jpeg: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if jpeg {
        image.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95))
    } else {
        image.write_with_encoder(image::codecs::png::PngEncoder::new(&mut out))
    }
    .expect("encodes");
    out
}

/// Builds the project in `dir` `runs` times: the best wall time, the PDF's size.
fn measure(bin: &Path, dir: &Path, runs: usize) -> Result<(Duration, u64), Box<dyn std::error::Error>> {
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("handouts.toml");
    let mut best = Duration::MAX;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let output = Command::new(bin)
            .args(["build", "--force", "--quiet", "--config"])
            .arg(&config)
            .arg("--content")
            .arg(dir.join("content"))
            .arg("--out")
            .arg(dir.join("out"))
            .output()?;
        best = best.min(start.elapsed());
        if !output.status.success() {
            return Err(String::from_utf8_lossy(&output.stderr).into_owned().into());
        }
    }
    Ok((best, std::fs::metadata(dir.join("out/pdf/photo.pdf"))?.len()))
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let (mut bin, mut runs) = (None, 3usize);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--bin", Some(path)) => bin = Some(PathBuf::from(path)),
            ("--runs", Some(n)) => runs = n.parse()?,
            _ => return Err("usage: picture_size --bin PATH [--runs R]".into()),
        }
    }
    let bin = bin.ok_or("--bin PATH: the handouts binary to measure")?;
    let pixels = photo(3000, 2000);
    for (name, picture) in [
        ("no picture", None),
        ("JPEG 3000×2000 q95", Some(("photo.jpg", encoded(&pixels, true)))),
        ("PNG 3000×2000", Some(("photo.png", encoded(&pixels, false)))),
    ] {
        let dir = tempfile::tempdir()?;
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("pictures"))?;
        let mut figure = String::new();
        let mut file_size = 0;
        if let Some((file, bytes)) = &picture {
            std::fs::write(content.join("pictures").join(file), bytes)?;
            figure = format!("![A colour gradient with grain](pictures/{file})\n\n");
            file_size = bytes.len();
        }
        std::fs::write(
            content.join("photo.md"),
            format!(
                "---\nid: photo\ntitle: A photo\nlang: en\nreviewed: 2026-01-01\n---\n\
                 Wash your hands with soap and water before you eat.\n\n{figure}\
                 ## When to call\n\nCall us if you have a fever.\n"
            ),
        )?;
        let (time, pdf) = measure(&bin, dir.path(), runs)?;
        println!(
            "{name}: file {:.2} MiB, build {:.0} ms (best of {runs}), PDF {:.2} MiB",
            file_size as f64 / (1024.0 * 1024.0),
            time.as_secs_f64() * 1e3,
            pdf as f64 / (1024.0 * 1024.0)
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("picture_size: {err}");
            ExitCode::FAILURE
        }
    }
}
