//! The HTML site in `site/` (see [`crate::site`]): a page per article
//! (`site/<id>.html`, an [`ArticleOutput`]), and for the batch the catalogue
//! (`site/index.html`, and `site/catalogue_<n>.html` when it is split into pages), its search data (`site/assets/catalogue.js`) and the assets
//! the pages share (stylesheet, script, fonts, logo), each a [`CollectionOutput`].

use std::sync::{Arc, Mutex};

use super::{ArticleOutput, Collection, CollectionOutput, Prepared, Rendered, Written};
use crate::digest::Digest;
use crate::error::Result;
use crate::fsx::write_atomic;
use crate::model::Article;
use crate::site::{Site, catalogue};

/// `site/<id>.html`.
pub struct Page {
    /// The site, or why it could not be loaded (a broken template), reported by
    /// [`ArticleOutput::check`] before any article.
    site: std::result::Result<Arc<Site>, String>,
    /// The output folder, for the pictures the page shows.
    out_dir: std::path::PathBuf,
    /// The build's pictures (the typesetter's store): each file read once for every output.
    pictures: Arc<crate::pictures::PictureStore>,
    /// `build --drafts`: drafts get a page too.
    drafts: bool,
}

impl Page {
    pub fn new(config: &crate::config::Config, pictures: Arc<crate::pictures::PictureStore>) -> Page {
        Page {
            site: Site::new(config).map(Arc::new).map_err(|err| err.to_string()),
            out_dir: config.out_dir.clone(),
            pictures,
            drafts: config.site.drafts,
        }
    }

    fn site(&self) -> Result<&Site> {
        self.site
            .as_deref()
            .map_err(|message| crate::error::Error::Template { article: None, message: message.clone() })
    }
}

struct PreparedPage<'a> {
    page: &'a Page,
    html: Vec<u8>,
    /// The pictures the page shows.
    pictures: Vec<crate::pictures::Picture>,
}

impl ArticleOutput for Page {
    fn path(&self, id: &str) -> String {
        format!("site/{id}.html")
    }

    fn settings(&self) -> u128 {
        self.site.as_ref().map_or(0, |site| site.settings())
    }

    /// Renders the page of a built-in sample article, so a broken site template is one
    /// error before any article is read.
    fn check(&self) -> Result<()> {
        let sample = crate::ingest::ingest_bytes(
            std::path::Path::new("(built-in sample article).md"),
            include_bytes!("../typeset/sample.md"),
        )?;
        let site = self.site()?;
        site.page(&sample, false)?;
        site.index(&catalogue::entries(std::slice::from_ref(&sample), "en"))?;
        Ok(())
    }

    fn publishes(&self, article: &Article) -> bool {
        self.drafts || !article.is_draft()
    }

    fn prepare<'a>(&'a self, article: &Article) -> Result<Box<dyn Prepared + 'a>> {
        let html = self.site()?.page(article, false)?.into_bytes();
        let pictures = self.pictures.pictures(article)?;
        Ok(Box::new(PreparedPage { page: self, html, pictures }))
    }
}

impl Prepared for PreparedPage<'_> {
    fn fingerprint(&self) -> Digest {
        Digest::of((&self.html, crate::pictures::fingerprint(&self.pictures)))
    }

    fn render(&self) -> Result<Rendered> {
        // Pictures go beside the pages, under the `src` the store checked to stay inside
        // the content folder. They are not outputs of their own in the manifest: an
        // edited picture changes this page's fingerprint, which writes it again.
        for picture in &self.pictures {
            write_atomic(
                &self.page.out_dir.join("site/pictures").join(&picture.src),
                picture.for_screen().as_slice(),
            )?;
        }
        Ok(Rendered { bytes: self.html.clone(), pages: None })
    }
}

/// A file every page shares, the same whatever the articles: `site/assets/…`.
pub struct Asset {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl CollectionOutput for Asset {
    fn path(&self) -> String {
        self.path.clone()
    }

    fn fingerprint(&self, _articles: &[Digest]) -> Option<Digest> {
        Some(Digest::of(&self.bytes))
    }

    fn render(&self, _collection: &Collection) -> Result<Vec<u8>> {
        Ok(self.bytes.clone())
    }
}

/// The catalogue's entries, made once for both files that need them.
#[derive(Default)]
pub struct Entries(Mutex<Option<Arc<Vec<catalogue::Entry>>>>);

impl Entries {
    /// The entries, made if not yet, and no longer kept.
    fn take(&self, collection: &Collection, fallback_lang: &str) -> Result<Arc<Vec<catalogue::Entry>>> {
        let entries = self.get(collection, fallback_lang)?;
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
        Ok(entries)
    }

    fn get(&self, collection: &Collection, fallback_lang: &str) -> Result<Arc<Vec<catalogue::Entry>>> {
        let mut made = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(entries) = made.as_ref() {
            return Ok(entries.clone());
        }
        let mut entries = Vec::with_capacity(collection.count);
        collection.each(|_, article| {
            entries.push(catalogue::Entry::new(&article, fallback_lang));
            Ok(())
        })?;
        let entries = Arc::new(catalogue::sorted(entries));
        *made = Some(entries.clone());
        Ok(entries)
    }
}

/// Which catalogue file.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum CatalogueFile {
    /// `site/index.html`.
    Index,
    /// `site/assets/catalogue.js`.
    Data,
}

pub struct Catalogue {
    pub site: Arc<Site>,
    pub file: CatalogueFile,
    pub entries: Arc<Entries>,
    pub fallback_lang: String,
}

impl CollectionOutput for Catalogue {
    fn path(&self) -> String {
        match self.file {
            CatalogueFile::Index => "site/index.html".into(),
            CatalogueFile::Data => "site/assets/catalogue.js".into(),
        }
    }

    fn fingerprint(&self, articles: &[Digest]) -> Option<Digest> {
        Some(Digest::of((self.file, articles, self.site.settings())))
    }

    fn render(&self, collection: &Collection) -> Result<Vec<u8>> {
        let entries = match self.file {
            CatalogueFile::Index => self.entries.get(collection, &self.fallback_lang)?,
            // Written after the index: the entries' last user, so they are not held
            // past it (50,000 articles' entries are tens of MB).
            CatalogueFile::Data => self.entries.take(collection, &self.fallback_lang)?,
        };
        match self.file {
            CatalogueFile::Index => Ok(self.site.index(&entries)?.into_bytes()),
            CatalogueFile::Data => Ok(self.site.data(&entries)),
        }
    }

    /// The index, and before it the pages of a split catalogue
    /// (`site/catalogue_<n>.html`, [`crate::site::pages`]). The pages come from the
    /// same entries and settings as the index, so its fingerprint is theirs: they are
    /// written, and pages past the last one removed, whenever the index is.
    fn write(&self, collection: &Collection, path: &std::path::Path) -> Result<Written> {
        if self.file == CatalogueFile::Index {
            let entries = self.entries.get(collection, &self.fallback_lang)?;
            let folder = path.parent().unwrap_or(std::path::Path::new("."));
            let pages = self.site.each_catalogue_page(&entries, |name, html| {
                write_atomic(&folder.join(name), html.as_bytes())
            })?;
            remove_pages_after(folder, pages)?;
        }
        let bytes = self.render(collection)?;
        write_atomic(path, &bytes)?;
        Ok(Written { size: bytes.len() as u64, hash: crate::fsx::file_hash(&bytes) })
    }
}

/// Removes the catalogue's pages numbered above `last`, left by a larger catalogue.
fn remove_pages_after(folder: &std::path::Path, last: usize) -> Result<()> {
    let Ok(listing) = std::fs::read_dir(folder) else { return Ok(()) };
    for entry in listing.flatten() {
        let name = entry.file_name();
        if name.to_str().and_then(crate::site::pages::page_number).is_some_and(|n| n > last) {
            let path = entry.path();
            std::fs::remove_file(&path).map_err(|source| crate::error::Error::Io {
                kind: crate::error::Kind::Output,
                path,
                source,
            })?;
        }
    }
    Ok(())
}

/// Every collection output of the site: the assets, and the catalogue when the build
/// covers the whole batch (a partial build's articles are not the catalogue).
pub fn collection_outputs(
    config: &crate::config::Config,
    whole_batch: bool,
) -> Result<Vec<Box<dyn CollectionOutput>>> {
    let site = &Arc::new(Site::new(config)?);
    let mut outputs: Vec<Box<dyn CollectionOutput>> = vec![
        Box::new(Asset {
            path: "site/assets/site.css".into(),
            bytes: site.file("site.css").as_bytes().to_vec(),
        }),
        Box::new(Asset {
            path: "site/assets/search.js".into(),
            bytes: site.file("search.js").as_bytes().to_vec(),
        }),
    ];
    for (name, bytes) in crate::epub::FONTS {
        outputs.push(Box::new(Asset { path: format!("site/assets/fonts/{name}"), bytes: bytes.to_vec() }));
    }
    if let Some((name, bytes)) = site.logo() {
        outputs.push(Box::new(Asset { path: format!("site/assets/{name}"), bytes: bytes.clone() }));
    }
    if whole_batch {
        let entries = Arc::new(Entries::default());
        let fallback_lang = crate::render::xml::lang_or(&config.collection.language, "en").to_string();
        for file in [CatalogueFile::Index, CatalogueFile::Data] {
            outputs.push(Box::new(Catalogue {
                site: site.clone(),
                file,
                entries: entries.clone(),
                fallback_lang: fallback_lang.clone(),
            }));
        }
    }
    Ok(outputs)
}
