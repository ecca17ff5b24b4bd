//! Finding the article in a whole pasted web page.
//!
//! Staff select a page in the browser (Ctrl-A, Ctrl-C) and paste it, so the text holds the
//! site around the article: skip links, menus, breadcrumbs, bylines, share bars, cookie
//! and newsletter boxes, ads, related links, author bios, footers. Reader modes
//! (Readability, trafilatura, jusText, boilerpipe) find the article in HTML by the density
//! of sentence text against short link-like blocks; a paste has only lines, so the same
//! idea is applied to them:
//!
//! 1. Each line is tagged when it is a known kind of page furniture ([`classify`]): a
//!    table of phrases per language plus shapes such as breadcrumbs (`A > B > C`), pipe
//!    menus, bylines and dates. Some tags open a *run* ("Related articles", a newsletter
//!    box) that covers the short lines after them until prose resumes.
//! 2. Each line gets a score: prose (a long line ending a sentence) counts for, tagged and
//!    menu-like lines count against. The article body is the stretch with the highest
//!    total (the maximum-sum subarray, one pass), which is how a menu of forty short
//!    links loses to a body of ten paragraphs however they are laid out.
//! 3. The stretch is widened to take in its title and headings above it, and a closing
//!    list or sentence below it. The title is the candidate above the body that shares
//!    the most words with it, so a site's slogan loses to the article's own heading.
//!
//! Every line outside the article, and every tagged line inside it, is reported with the
//! kind of thing it was; nothing is dropped silently. Linear in the number of lines.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use super::text::{Line, looks_like_heading, word_count};

/// What a line of page furniture was, reported as the reason it was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Furniture {
    Navigation,
    Breadcrumbs,
    Byline,
    ReviewDate,
    ShareButtons,
    Advertising,
    CookieNotice,
    Newsletter,
    RelatedLinks,
    AuthorBio,
    Comments,
    Footer,
    PageTitle,
    ImageCredit,
    Feedback,
    /// Untagged, but outside the stretch that holds the article.
    OutsideArticle,
}

impl Furniture {
    pub fn reason(self) -> &'static str {
        match self {
            Furniture::Navigation => "site navigation",
            Furniture::Breadcrumbs => "breadcrumbs",
            Furniture::Byline => "byline",
            Furniture::ReviewDate => "review date",
            Furniture::ShareButtons => "share buttons",
            Furniture::Advertising => "advertising",
            Furniture::CookieNotice => "cookie notice",
            Furniture::Newsletter => "newsletter sign-up",
            Furniture::RelatedLinks => "related links",
            Furniture::AuthorBio => "author bio",
            Furniture::Comments => "comments",
            Furniture::Footer => "page footer",
            Furniture::PageTitle => "page title",
            Furniture::ImageCredit => "image credit",
            Furniture::Feedback => "feedback prompt",
            Furniture::OutsideArticle => "outside the article",
        }
    }

    /// Blocks that hold sentences of their own (comments, an author's bio): prose does
    /// not end them, when they come after most of the article.
    fn runs_through_prose(self) -> bool {
        matches!(self, Furniture::Comments | Furniture::AuthorBio)
    }

    /// Whether a one- or two-word line of this kind opens a run: "Related articles" does,
    /// a "Subscribe" or "Accept" button does not.
    fn opens_run_alone(self) -> bool {
        !matches!(self, Furniture::Newsletter | Furniture::CookieNotice)
    }

    /// How many lines after its opener a run of this kind covers at most: a newsletter
    /// box or cookie notice is a few lines, a list of related links can be long.
    fn max_run(self) -> Option<usize> {
        match self {
            Furniture::Newsletter | Furniture::CookieNotice => Some(4),
            _ => None,
        }
    }

    /// Tags whose line starts a block of furniture: the short lines after it belong to it.
    fn opens_run(self) -> bool {
        matches!(
            self,
            Furniture::RelatedLinks
                | Furniture::Newsletter
                | Furniture::CookieNotice
                | Furniture::Comments
                | Furniture::AuthorBio
        )
    }
}

/// Where the article is in a list of lines.
#[derive(Debug, Default)]
pub struct Found {
    /// For each line: `None` when it belongs to the article, else why it was left out.
    pub removed: Vec<Option<Furniture>>,
    /// Index of the title line, when the page has one.
    pub title: Option<usize>,
    /// The title text when it differs from its line (a `Title | Site` line).
    pub title_text: Option<String>,
}

/// Whole lines that are page furniture in any language, lowercased, without end punctuation.
const EXACT: &[(&str, Furniture)] = &[
    // Navigation.
    ("skip to main content", Furniture::Navigation),
    ("skip to content", Furniture::Navigation),
    ("skip to navigation", Furniture::Navigation),
    ("skip navigation", Furniture::Navigation),
    ("jump to content", Furniture::Navigation),
    ("home", Furniture::Navigation),
    ("menu", Furniture::Navigation),
    ("main menu", Furniture::Navigation),
    ("search", Furniture::Navigation),
    ("close", Furniture::Navigation),
    ("log in", Furniture::Navigation),
    ("login", Furniture::Navigation),
    ("sign in", Furniture::Navigation),
    ("my account", Furniture::Navigation),
    ("donate", Furniture::Navigation),
    ("donate now", Furniture::Navigation),
    ("find a doctor", Furniture::Navigation),
    ("find a location", Furniture::Navigation),
    ("locations", Furniture::Navigation),
    ("make an appointment", Furniture::Navigation),
    ("request an appointment", Furniture::Navigation),
    ("patient portal", Furniture::Navigation),
    ("pay my bill", Furniture::Navigation),
    ("pay a bill", Furniture::Navigation),
    ("careers", Furniture::Navigation),
    ("about us", Furniture::Navigation),
    ("about", Furniture::Navigation),
    ("news", Furniture::Navigation),
    ("blog", Furniture::Navigation),
    ("health a-z", Furniture::Navigation),
    ("health topics", Furniture::Navigation),
    ("conditions", Furniture::Navigation),
    ("conditions and treatments", Furniture::Navigation),
    ("services", Furniture::Navigation),
    ("resources", Furniture::Navigation),
    ("español", Furniture::Navigation),
    ("english", Furniture::Navigation),
    ("en español", Furniture::Navigation),
    ("in english", Furniture::Navigation),
    ("back to top", Furniture::Navigation),
    ("top of page", Furniture::Navigation),
    ("return to top", Furniture::Navigation),
    ("previous", Furniture::Navigation),
    ("next", Furniture::Navigation),
    ("previous article", Furniture::Navigation),
    ("next article", Furniture::Navigation),
    ("on this page", Furniture::Navigation),
    ("table of contents", Furniture::Navigation),
    ("contents", Furniture::Navigation),
    ("in this article", Furniture::Navigation),
    ("saltar al contenido", Furniture::Navigation),
    ("saltar al contenido principal", Furniture::Navigation),
    ("ir al contenido", Furniture::Navigation),
    ("ir al contenido principal", Furniture::Navigation),
    ("inicio", Furniture::Navigation),
    ("menú", Furniture::Navigation),
    ("buscar", Furniture::Navigation),
    ("volver arriba", Furniture::Navigation),
    ("volver al inicio", Furniture::Navigation),
    ("ir arriba", Furniture::Navigation),
    ("temas de salud", Furniture::Navigation),
    ("quiénes somos", Furniture::Navigation),
    ("contacto", Furniture::Navigation),
    ("contáctenos", Furniture::Navigation),
    ("contáctanos", Furniture::Navigation),
    ("noticias", Furniture::Navigation),
    ("servicios", Furniture::Navigation),
    ("pacientes", Furniture::Navigation),
    ("aller au contenu", Furniture::Navigation),
    ("aller au contenu principal", Furniture::Navigation),
    ("passer au contenu", Furniture::Navigation),
    ("accueil", Furniture::Navigation),
    ("rechercher", Furniture::Navigation),
    ("retour en haut", Furniture::Navigation),
    ("haut de page", Furniture::Navigation),
    ("qui sommes-nous", Furniture::Navigation),
    ("actualités", Furniture::Navigation),
    ("ir para o conteúdo", Furniture::Navigation),
    ("pular para o conteúdo", Furniture::Navigation),
    ("saltar para o conteúdo", Furniture::Navigation),
    ("início", Furniture::Navigation),
    ("pesquisar", Furniture::Navigation),
    ("voltar ao topo", Furniture::Navigation),
    ("notícias", Furniture::Navigation),
    ("fale conosco", Furniture::Navigation),
    ("zum inhalt springen", Furniture::Navigation),
    ("startseite", Furniture::Navigation),
    ("suche", Furniture::Navigation),
    ("nach oben", Furniture::Navigation),
    ("découvrir", Furniture::Navigation),
    ("en savoir plus", Furniture::Navigation),
    ("learn more", Furniture::Navigation),
    ("más información", Furniture::Navigation),
    // Feedback prompts.
    ("was this page helpful", Furniture::Feedback),
    ("was this article helpful", Furniture::Feedback),
    ("was this information helpful", Furniture::Feedback),
    ("did you find this helpful", Furniture::Feedback),
    ("yes", Furniture::Feedback),
    ("no", Furniture::Feedback),
    ("submit", Furniture::Feedback),
    ("send", Furniture::Feedback),
    ("sí", Furniture::Feedback),
    ("enviar", Furniture::Feedback),
    ("le ha resultado útil esta información", Furniture::Feedback),
    ("te ha resultado útil esta información", Furniture::Feedback),
    ("le resultó útil esta página", Furniture::Feedback),
    ("fue útil esta información", Furniture::Feedback),
    ("cette page vous a-t-elle été utile", Furniture::Feedback),
    ("oui", Furniture::Feedback),
    ("non", Furniture::Feedback),
    ("envoyer", Furniture::Feedback),
    ("esta página foi útil", Furniture::Feedback),
    ("sim", Furniture::Feedback),
    ("não", Furniture::Feedback),
    // Share bars.
    ("share", Furniture::ShareButtons),
    ("partager la page", Furniture::ShareButtons),
    ("partager cet article", Furniture::ShareButtons),
    ("compartir esta página", Furniture::ShareButtons),
    ("compartir este artículo", Furniture::ShareButtons),
    ("compartilhar esta página", Furniture::ShareButtons),
    ("copiar link", Furniture::ShareButtons),
    ("copiar enlace", Furniture::ShareButtons),
    ("copier le lien", Furniture::ShareButtons),
    ("share this", Furniture::ShareButtons),
    ("share this page", Furniture::ShareButtons),
    ("share this article", Furniture::ShareButtons),
    ("share this post", Furniture::ShareButtons),
    ("share on facebook", Furniture::ShareButtons),
    ("share on x", Furniture::ShareButtons),
    ("share on twitter", Furniture::ShareButtons),
    ("facebook", Furniture::ShareButtons),
    ("twitter", Furniture::ShareButtons),
    ("x", Furniture::ShareButtons),
    ("linkedin", Furniture::ShareButtons),
    ("pinterest", Furniture::ShareButtons),
    ("whatsapp", Furniture::ShareButtons),
    ("instagram", Furniture::ShareButtons),
    ("youtube", Furniture::ShareButtons),
    ("email", Furniture::ShareButtons),
    ("e-mail", Furniture::ShareButtons),
    ("print", Furniture::ShareButtons),
    ("print this page", Furniture::ShareButtons),
    ("print page", Furniture::ShareButtons),
    ("copy link", Furniture::ShareButtons),
    ("save", Furniture::ShareButtons),
    ("follow us", Furniture::ShareButtons),
    ("compartir", Furniture::ShareButtons),
    ("compartir en facebook", Furniture::ShareButtons),
    ("imprimir", Furniture::ShareButtons),
    ("correo electrónico", Furniture::ShareButtons),
    ("síguenos", Furniture::ShareButtons),
    ("síganos", Furniture::ShareButtons),
    ("partager", Furniture::ShareButtons),
    ("imprimer", Furniture::ShareButtons),
    ("suivez-nous", Furniture::ShareButtons),
    ("compartilhar", Furniture::ShareButtons),
    ("compartilhe", Furniture::ShareButtons),
    ("siga-nos", Furniture::ShareButtons),
    ("teilen", Furniture::ShareButtons),
    ("drucken", Furniture::ShareButtons),
    // Advertising.
    ("advertisement", Furniture::Advertising),
    ("advertisements", Furniture::Advertising),
    ("ad", Furniture::Advertising),
    ("sponsored", Furniture::Advertising),
    ("sponsored content", Furniture::Advertising),
    ("paid content", Furniture::Advertising),
    ("story continues below advertisement", Furniture::Advertising),
    ("continue reading below", Furniture::Advertising),
    ("article continues below", Furniture::Advertising),
    ("publicidad", Furniture::Advertising),
    ("anuncio", Furniture::Advertising),
    ("patrocinado", Furniture::Advertising),
    ("publicité", Furniture::Advertising),
    ("publicidade", Furniture::Advertising),
    ("anzeige", Furniture::Advertising),
    ("werbung", Furniture::Advertising),
    // Cookie notices.
    ("accept", Furniture::CookieNotice),
    ("accept all", Furniture::CookieNotice),
    ("accept all cookies", Furniture::CookieNotice),
    ("accept cookies", Furniture::CookieNotice),
    ("reject all", Furniture::CookieNotice),
    ("manage settings", Furniture::CookieNotice),
    ("manage preferences", Furniture::CookieNotice),
    ("cookie settings", Furniture::CookieNotice),
    ("cookie preferences", Furniture::CookieNotice),
    ("got it", Furniture::CookieNotice),
    ("i agree", Furniture::CookieNotice),
    ("ok", Furniture::CookieNotice),
    ("aceptar", Furniture::CookieNotice),
    ("aceptar todas", Furniture::CookieNotice),
    ("aceptar todo", Furniture::CookieNotice),
    ("aceptar cookies", Furniture::CookieNotice),
    ("rechazar", Furniture::CookieNotice),
    ("rechazar todas", Furniture::CookieNotice),
    ("configurar", Furniture::CookieNotice),
    ("configurar cookies", Furniture::CookieNotice),
    ("tout accepter", Furniture::CookieNotice),
    ("accepter", Furniture::CookieNotice),
    ("tout refuser", Furniture::CookieNotice),
    ("refuser", Furniture::CookieNotice),
    ("personnaliser", Furniture::CookieNotice),
    ("aceitar", Furniture::CookieNotice),
    ("aceitar todos", Furniture::CookieNotice),
    ("rejeitar", Furniture::CookieNotice),
    ("alle akzeptieren", Furniture::CookieNotice),
    // Newsletter boxes.
    ("subscribe", Furniture::Newsletter),
    ("sign up", Furniture::Newsletter),
    ("sign up now", Furniture::Newsletter),
    ("email address", Furniture::Newsletter),
    ("your email address", Furniture::Newsletter),
    ("enter your email", Furniture::Newsletter),
    ("enter your email address", Furniture::Newsletter),
    ("your email", Furniture::Newsletter),
    ("email address*", Furniture::Newsletter),
    ("su correo electrónico", Furniture::Newsletter),
    ("tu correo electrónico", Furniture::Newsletter),
    ("correo electrónico*", Furniture::Newsletter),
    ("suscribirme", Furniture::Newsletter),
    ("votre adresse e-mail", Furniture::Newsletter),
    ("votre e-mail", Furniture::Newsletter),
    ("seu e-mail", Furniture::Newsletter),
    ("seu email", Furniture::Newsletter),
    ("quero receber", Furniture::Newsletter),
    ("suscribirse", Furniture::Newsletter),
    ("suscríbete", Furniture::Newsletter),
    ("suscríbase", Furniture::Newsletter),
    ("s'abonner", Furniture::Newsletter),
    ("s'inscrire", Furniture::Newsletter),
    ("inscrever-se", Furniture::Newsletter),
    ("assinar", Furniture::Newsletter),
    ("cadastre-se", Furniture::Newsletter),
    // Related links (open a run).
    ("related", Furniture::RelatedLinks),
    ("related articles", Furniture::RelatedLinks),
    ("related content", Furniture::RelatedLinks),
    ("related stories", Furniture::RelatedLinks),
    ("related posts", Furniture::RelatedLinks),
    ("related videos", Furniture::RelatedLinks),
    ("related topics", Furniture::RelatedLinks),
    ("related pages", Furniture::RelatedLinks),
    ("related resources", Furniture::RelatedLinks),
    ("related health topics", Furniture::RelatedLinks),
    ("related information", Furniture::RelatedLinks),
    ("related conditions", Furniture::RelatedLinks),
    ("you may also like", Furniture::RelatedLinks),
    ("you might also like", Furniture::RelatedLinks),
    ("you may also be interested in", Furniture::RelatedLinks),
    ("recommended for you", Furniture::RelatedLinks),
    ("recommended reading", Furniture::RelatedLinks),
    ("read more", Furniture::RelatedLinks),
    ("read next", Furniture::RelatedLinks),
    ("more on this topic", Furniture::RelatedLinks),
    ("more from this blog", Furniture::RelatedLinks),
    ("more from our blog", Furniture::RelatedLinks),
    ("more health news", Furniture::RelatedLinks),
    ("latest news", Furniture::RelatedLinks),
    ("popular posts", Furniture::RelatedLinks),
    ("popular posts from this blog", Furniture::RelatedLinks),
    ("popular articles", Furniture::RelatedLinks),
    ("most popular", Furniture::RelatedLinks),
    ("trending", Furniture::RelatedLinks),
    ("see also", Furniture::RelatedLinks),
    ("artículos relacionados", Furniture::RelatedLinks),
    ("temas relacionados", Furniture::RelatedLinks),
    ("contenido relacionado", Furniture::RelatedLinks),
    ("noticias relacionadas", Furniture::RelatedLinks),
    ("también te puede interesar", Furniture::RelatedLinks),
    ("también le puede interesar", Furniture::RelatedLinks),
    ("te puede interesar", Furniture::RelatedLinks),
    ("le puede interesar", Furniture::RelatedLinks),
    ("lo más leído", Furniture::RelatedLinks),
    ("leer más", Furniture::RelatedLinks),
    ("lea también", Furniture::RelatedLinks),
    ("véase también", Furniture::RelatedLinks),
    ("articles similaires", Furniture::RelatedLinks),
    ("articles associés", Furniture::RelatedLinks),
    ("à lire aussi", Furniture::RelatedLinks),
    ("lire aussi", Furniture::RelatedLinks),
    ("sur le même sujet", Furniture::RelatedLinks),
    ("vous aimerez aussi", Furniture::RelatedLinks),
    ("lire la suite", Furniture::RelatedLinks),
    ("artigos relacionados", Furniture::RelatedLinks),
    ("leia também", Furniture::RelatedLinks),
    ("veja também", Furniture::RelatedLinks),
    ("saiba mais", Furniture::RelatedLinks),
    ("mais lidas", Furniture::RelatedLinks),
    ("das könnte sie auch interessieren", Furniture::RelatedLinks),
    ("weitere artikel", Furniture::RelatedLinks),
    // Author bios and comments (open a run).
    ("about the author", Furniture::AuthorBio),
    ("about the authors", Furniture::AuthorBio),
    ("sobre el autor", Furniture::AuthorBio),
    ("sobre la autora", Furniture::AuthorBio),
    ("sobre los autores", Furniture::AuthorBio),
    ("à propos de l'auteur", Furniture::AuthorBio),
    ("sobre o autor", Furniture::AuthorBio),
    ("sobre a autora", Furniture::AuthorBio),
    ("comments", Furniture::Comments),
    ("leave a comment", Furniture::Comments),
    ("leave a reply", Furniture::Comments),
    ("post a comment", Furniture::Comments),
    ("add a comment", Furniture::Comments),
    ("comentarios", Furniture::Comments),
    ("deja un comentario", Furniture::Comments),
    ("dejar un comentario", Furniture::Comments),
    ("commentaires", Furniture::Comments),
    ("laisser un commentaire", Furniture::Comments),
    ("comentários", Furniture::Comments),
    ("deixe um comentário", Furniture::Comments),
    ("kommentare", Furniture::Comments),
    // Page footers.
    ("privacy policy", Furniture::Footer),
    ("privacy", Furniture::Footer),
    ("privacy notice", Furniture::Footer),
    ("privacy statement", Furniture::Footer),
    ("terms of use", Furniture::Footer),
    ("terms of service", Furniture::Footer),
    ("terms and conditions", Furniture::Footer),
    ("terms & conditions", Furniture::Footer),
    ("cookie policy", Furniture::Footer),
    ("accessibility", Furniture::Footer),
    ("accessibility statement", Furniture::Footer),
    ("site map", Furniture::Footer),
    ("sitemap", Furniture::Footer),
    ("contact", Furniture::Footer),
    ("contact us", Furniture::Footer),
    ("quick links", Furniture::Footer),
    ("useful links", Furniture::Footer),
    ("connect with us", Furniture::Footer),
    ("stay connected", Furniture::Footer),
    ("non-discrimination notice", Furniture::Footer),
    ("nondiscrimination notice", Furniture::Footer),
    ("language assistance", Furniture::Footer),
    ("policies", Furniture::Footer),
    ("disclaimer", Furniture::Footer),
    ("política de privacidad", Furniture::Footer),
    ("aviso de privacidad", Furniture::Footer),
    ("aviso legal", Furniture::Footer),
    ("términos de uso", Furniture::Footer),
    ("términos y condiciones", Furniture::Footer),
    ("política de cookies", Furniture::Footer),
    ("accesibilidad", Furniture::Footer),
    ("mapa del sitio", Furniture::Footer),
    ("enlaces de interés", Furniture::Footer),
    ("mentions légales", Furniture::Footer),
    ("politique de confidentialité", Furniture::Footer),
    ("plan du site", Furniture::Footer),
    ("nous contacter", Furniture::Footer),
    ("contactez-nous", Furniture::Footer),
    ("política de privacidade", Furniture::Footer),
    ("termos de uso", Furniture::Footer),
    ("mapa do site", Furniture::Footer),
    ("impressum", Furniture::Footer),
    ("datenschutz", Furniture::Footer),
    ("kontakt", Furniture::Footer),
];

/// Line beginnings that mark furniture on a short line, lowercased.
const PREFIXES: &[(&str, Furniture)] = &[
    ("publicado por", Furniture::Byline),
    ("publié par", Furniture::Byline),
    ("categories:", Furniture::Byline),
    ("category:", Furniture::Byline),
    ("tags:", Furniture::Byline),
    ("filed under", Furniture::Byline),
    ("categorías:", Furniture::Byline),
    ("etiquetas:", Furniture::Byline),
    ("catégories", Furniture::Byline),
    ("categorias:", Furniture::Byline),
    ("révision scientifique", Furniture::Byline),
    ("revisión médica", Furniture::Byline),
    ("revisión científica", Furniture::Byline),
    ("revisão médica", Furniture::Byline),
    ("revisão técnica", Furniture::Byline),
    ("mise à jour", Furniture::ReviewDate),
    ("fecha de actualización", Furniture::ReviewDate),
    ("fecha de publicación", Furniture::ReviewDate),
    ("related:", Furniture::RelatedLinks),
    ("read more:", Furniture::RelatedLinks),
    ("see also:", Furniture::RelatedLinks),
    ("read next:", Furniture::RelatedLinks),
    ("te puede interesar:", Furniture::RelatedLinks),
    ("le puede interesar:", Furniture::RelatedLinks),
    ("lea también:", Furniture::RelatedLinks),
    ("leia também:", Furniture::RelatedLinks),
    ("veja também:", Furniture::RelatedLinks),
    ("lire aussi :", Furniture::RelatedLinks),
    ("à lire aussi :", Furniture::RelatedLinks),
    ("lire aussi:", Furniture::RelatedLinks),
    ("share on ", Furniture::ShareButtons),
    ("compartir en ", Furniture::ShareButtons),
    ("compartilhar no ", Furniture::ShareButtons),
    ("partager sur ", Furniture::ShareButtons),
    ("get my free", Furniture::Newsletter),
    ("get your free", Furniture::Newsletter),
    ("download our free", Furniture::Newsletter),
    ("download your free", Furniture::Newsletter),
    ("send me", Furniture::Newsletter),
    ("medically reviewed by", Furniture::Byline),
    ("clinically reviewed by", Furniture::Byline),
    ("reviewed by", Furniture::Byline),
    ("fact checked by", Furniture::Byline),
    ("fact-checked by", Furniture::Byline),
    ("written by", Furniture::Byline),
    ("posted by", Furniture::Byline),
    ("posted on", Furniture::Byline),
    ("published on", Furniture::Byline),
    ("published:", Furniture::Byline),
    ("updated on", Furniture::Byline),
    ("updated:", Furniture::Byline),
    ("author:", Furniture::Byline),
    ("revisado por", Furniture::Byline),
    ("revisado médicamente por", Furniture::Byline),
    ("escrito por", Furniture::Byline),
    ("publicado el", Furniture::Byline),
    ("publicado:", Furniture::Byline),
    ("actualizado el", Furniture::Byline),
    ("actualizado:", Furniture::Byline),
    ("autor:", Furniture::Byline),
    ("autora:", Furniture::Byline),
    ("rédigé par", Furniture::Byline),
    ("écrit par", Furniture::Byline),
    ("publié le", Furniture::Byline),
    ("mis à jour le", Furniture::Byline),
    ("auteur :", Furniture::Byline),
    ("escrito por", Furniture::Byline),
    ("publicado em", Furniture::Byline),
    ("atualizado em", Furniture::Byline),
    ("por:", Furniture::Byline),
    ("par :", Furniture::Byline),
    ("last reviewed", Furniture::ReviewDate),
    ("page last reviewed", Furniture::ReviewDate),
    ("page last updated", Furniture::ReviewDate),
    ("last updated", Furniture::ReviewDate),
    ("date last reviewed", Furniture::ReviewDate),
    ("reviewed:", Furniture::ReviewDate),
    ("content last reviewed", Furniture::ReviewDate),
    ("next review due", Furniture::ReviewDate),
    ("review date", Furniture::ReviewDate),
    ("última revisión", Furniture::ReviewDate),
    ("ultima revisión", Furniture::ReviewDate),
    ("fecha de revisión", Furniture::ReviewDate),
    ("última actualización", Furniture::ReviewDate),
    ("revisado:", Furniture::ReviewDate),
    ("dernière mise à jour", Furniture::ReviewDate),
    ("dernière révision", Furniture::ReviewDate),
    ("mis à jour :", Furniture::ReviewDate),
    ("última atualização", Furniture::ReviewDate),
    ("última revisão", Furniture::ReviewDate),
    ("revisado em", Furniture::ReviewDate),
    ("zuletzt aktualisiert", Furniture::ReviewDate),
    ("©", Furniture::Footer),
    ("c) 20", Furniture::Footer),
    ("disclaimer:", Furniture::Footer),
    ("aviso legal:", Furniture::Footer),
    ("copyright", Furniture::Footer),
    ("photo:", Furniture::ImageCredit),
    ("photo credit", Furniture::ImageCredit),
    ("image:", Furniture::ImageCredit),
    ("image credit", Furniture::ImageCredit),
    ("credit:", Furniture::ImageCredit),
    ("getty images", Furniture::ImageCredit),
    ("foto:", Furniture::ImageCredit),
    ("imagen:", Furniture::ImageCredit),
    ("sign up for", Furniture::Newsletter),
    ("subscribe to", Furniture::Newsletter),
    ("get our", Furniture::Newsletter),
    ("join our", Furniture::Newsletter),
    ("suscríbase a", Furniture::Newsletter),
    ("suscríbete a", Furniture::Newsletter),
    ("recibe nuestro", Furniture::Newsletter),
    ("reciba nuestro", Furniture::Newsletter),
    ("abonnez-vous", Furniture::Newsletter),
    ("inscrivez-vous", Furniture::Newsletter),
    ("assine nossa", Furniture::Newsletter),
    ("receba nossa", Furniture::Newsletter),
    ("inscreva-se", Furniture::Newsletter),
];

/// Phrases that make a line furniture wherever they stand in it.
const CONTAINS: &[(&str, Furniture)] = &[
    ("se actualizó por última vez", Furniture::ReviewDate),
    ("page was last updated", Furniture::ReviewDate),
    ("page was last reviewed", Furniture::ReviewDate),
    ("lectura:", Furniture::Byline),
    ("reading time", Furniture::Byline),
    ("to your inbox", Furniture::Newsletter),
    ("in your inbox", Furniture::Newsletter),
    ("en su correo", Furniture::Newsletter),
    ("en tu correo", Furniture::Newsletter),
    ("no seu e-mail", Furniture::Newsletter),
    ("dans votre boîte", Furniture::Newsletter),
    ("recevez nos", Furniture::Newsletter),
    ("offres exclusives", Furniture::Advertising),
    ("free shipping", Furniture::Advertising),
    ("livraison offerte", Furniture::Advertising),
    ("envío gratis", Furniture::Advertising),
    ("frete grátis", Furniture::Advertising),
    ("no sustituye la valoración", Furniture::Footer),
    ("contenido es informativo", Furniture::Footer),
    ("ne remplacent pas l'avis", Furniture::Footer),
    ("ne remplacent pas l’avis", Furniture::Footer),
    ("all rights reserved", Furniture::Footer),
    ("todos los derechos reservados", Furniture::Footer),
    ("tous droits réservés", Furniture::Footer),
    ("todos os direitos reservados", Furniture::Footer),
    ("alle rechte vorbehalten", Furniture::Footer),
    ("min read", Furniture::Byline),
    ("minute read", Furniture::Byline),
    ("minutes de lecture", Furniture::Byline),
    ("min de lectura", Furniture::Byline),
    ("minutos de lectura", Furniture::Byline),
    ("min de leitura", Furniture::Byline),
    ("newsletter", Furniture::Newsletter),
    ("boletín", Furniture::Newsletter),
    ("boletim", Furniture::Newsletter),
    ("we may earn a commission", Furniture::Advertising),
    ("may earn a commission", Furniture::Advertising),
    ("affiliate link", Furniture::Advertising),
    ("commission from purchases", Furniture::Advertising),
    ("earn from qualifying purchases", Furniture::Advertising),
    ("enlaces de afiliados", Furniture::Advertising),
    ("enlaces de afiliado", Furniture::Advertising),
    ("liens d'affiliation", Furniture::Advertising),
    ("does not provide medical advice", Furniture::Footer),
    ("is not intended to be a substitute for professional medical advice", Furniture::Footer),
    ("not a substitute for professional medical advice", Furniture::Footer),
    ("for informational purposes only", Furniture::Footer),
    ("for educational purposes only", Furniture::Footer),
    ("con fines informativos", Furniture::Footer),
    ("no sustituye el consejo médico", Furniture::Footer),
    ("no sustituye la consulta", Furniture::Footer),
    ("ne remplace pas une consultation", Furniture::Footer),
    ("ne remplace pas l'avis", Furniture::Footer),
    ("não substitui", Furniture::Footer),
];

/// Words that, with "cookie", make a line a cookie notice rather than a recipe.
const COOKIE_CONTEXT: &[&str] = &[
    "we use",
    "site",
    "website",
    "browsing",
    "consent",
    "accept",
    "privacy",
    "experience",
    "utilizamos",
    "usamos",
    "sitio",
    "navegación",
    "aceptar",
    "nous utilisons",
    "navigation",
    "utilizamos",
    "navegação",
    "verwenden",
];

/// Words too common to tell a title from a slogan, in the languages the tables cover.
static STOP_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    [
        "about", "after", "also", "been", "before", "being", "could", "does", "from", "have", "help", "here",
        "into", "know", "more", "most", "much", "need", "only", "other", "over", "should", "some", "such",
        "than", "that", "their", "them", "then", "there", "these", "they", "this", "those", "what", "when",
        "where", "which", "while", "will", "with", "would", "your", "yours", "para", "como", "sobre", "esta",
        "este", "estos", "estas", "pero", "puede", "cuando", "donde", "desde", "hasta", "entre", "tiene",
        "todo", "todos", "usted", "ustedes", "pour", "avec", "dans", "vous", "votre", "vos", "plus", "sont",
        "cette", "mais", "comment", "quoi", "pelo", "pela", "mais", "você", "isso", "essa", "esse", "muito",
    ]
    .into_iter()
    .collect()
});

/// The phrase tables compiled once: a hash map for whole lines, and Aho-Corasick
/// automata for beginnings and phrases anywhere, so a line is scanned once however many
/// phrases there are (a 1 MiB paste stays linear and fast).
struct Tables {
    exact: HashMap<&'static str, Furniture>,
    prefixes: aho_corasick::AhoCorasick,
    contains: aho_corasick::AhoCorasick,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    use aho_corasick::{AhoCorasick, MatchKind, StartKind};
    let prefixes = AhoCorasick::builder()
        .start_kind(StartKind::Anchored)
        .match_kind(MatchKind::LeftmostFirst)
        .build(PREFIXES.iter().map(|(p, _)| p))
        // The patterns are the constants above; a unit test builds them.
        .expect("the prefix table compiles");
    let contains = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(CONTAINS.iter().map(|(p, _)| p))
        .expect("the phrase table compiles");
    Tables { exact: EXACT.iter().copied().collect(), prefixes, contains }
});

/// The tag of one line, from the tables and the shapes of page furniture.
pub fn classify(text: &str) -> Option<Furniture> {
    let words = text.split_whitespace().count();
    let key = normalize(text);
    if key.is_empty() {
        // Only punctuation or symbols: a separator, an icon, a bullet with nothing after it.
        return Some(Furniture::Navigation);
    }
    let tables = &*TABLES;
    if let Some(&kind) = tables.exact.get(key.as_str()) {
        return Some(kind);
    }
    if words <= 16 {
        let anchored = aho_corasick::Input::new(&key).anchored(aho_corasick::Anchored::Yes);
        if let Some(found) = tables.prefixes.find(anchored) {
            return Some(PREFIXES[found.pattern().as_usize()].1);
        }
        if is_byline(text, &key) {
            return Some(Furniture::Byline);
        }
        if is_date_line(&key) {
            return Some(Furniture::Byline);
        }
        if is_breadcrumb(text) {
            return Some(Furniture::Breadcrumbs);
        }
        if is_pipe_menu(text) {
            return Some(Furniture::ShareButtons);
        }
    }
    if words <= 60 {
        if let Some(found) = tables.contains.find(&key) {
            return Some(CONTAINS[found.pattern().as_usize()].1);
        }
        if key.contains("cookie") && COOKIE_CONTEXT.iter().any(|w| key.contains(w)) {
            return Some(Furniture::CookieNotice);
        }
        if is_author_bio(&key) {
            return Some(Furniture::AuthorBio);
        }
    }
    None
}

/// Whether the whole line is one of the [`EXACT`] phrases.
fn is_exact(text: &str) -> bool {
    let key = normalize(text);
    EXACT.iter().any(|(phrase, _)| *phrase == key)
}

/// Lowercase, whitespace collapsed, punctuation and symbols trimmed from both ends.
fn normalize(text: &str) -> String {
    let lower = text.to_lowercase();
    let trimmed = lower.trim_matches(|c: char| !c.is_alphanumeric() && c != '©');
    trimmed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// "By Dana Ortiz, RN", "By Dana Ortiz | May 3, 2024", "Por la Dra. Ana Ruiz", "Par Marie Dupont".
fn is_byline(text: &str, key: &str) -> bool {
    let rest =
        ["by ", "por ", "par ", "von "].iter().find_map(|p| key.strip_prefix(p).map(|_| &text[p.len()..]));
    let Some(rest) = rest else { return false };
    let names: Vec<&str> = rest.split_whitespace().collect();
    // A name: short, and its words capitalised ("Dr.", "la Dra." allowed), unlike "By the way, ...".
    let capitalised = names.iter().filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count();
    !names.is_empty() && names.len() <= 24 && capitalised >= 2 && !text.trim_end().ends_with(['?', '!'])
}

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "setiembre",
    "octubre",
    "noviembre",
    "diciembre",
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "janeiro",
    "fevereiro",
    "março",
    "maio",
    "junho",
    "julho",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
];

/// A line that is only a date, perhaps with "Updated" or a weekday: "May 3, 2024",
/// "03/12/2024", "12 de marzo de 2024".
fn is_date_line(key: &str) -> bool {
    // Cheap test first: every date line holds a year (four digits in a row).
    let mut run = 0;
    if !key.bytes().any(|b| {
        run = if b.is_ascii_digit() { run + 1 } else { 0 };
        run >= 4
    }) {
        return false;
    }
    let words: Vec<&str> = key
        .split(|c: char| c.is_whitespace() || c == ',' || c == '|' || c == '·' || c == '•')
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() || words.len() > 8 {
        return false;
    }
    let has_year = words.iter().any(|w| {
        let digits: String = w.chars().filter(char::is_ascii_digit).collect();
        digits.len() >= 4 && (digits.starts_with("19") || digits.starts_with("20"))
    });
    let filler =
        ["updated", "published", "posted", "de", "del", "le", "em", "on", "actualizado", "publicado"];
    has_year
        && words.iter().all(|w| {
            w.chars().all(|c| c.is_ascii_digit() || matches!(c, '/' | '-' | '.'))
                || MONTHS.contains(&w.trim_end_matches('.'))
                || filler.contains(w)
        })
}

/// `Home > Health A-Z > Asthma`, `Inicio / Salud / Asma`, `Home » Blog`.
fn is_breadcrumb(text: &str) -> bool {
    let separators = [" > ", " / ", " » ", " › ", " → ", " >> "];
    separators.iter().filter(|sep| text.contains(*sep)).any(|sep| {
        let parts: Vec<&str> = text.split(sep).collect();
        parts.len() >= 2
            && parts.iter().all(|p| {
                let words = p.split_whitespace().count();
                (1..=6).contains(&words) && !p.trim_end().ends_with(['.', '?', '!'])
            })
    })
}

/// `Print | Email | Share`, `Facebook · X · Email`: three or more short parts.
fn is_pipe_menu(text: &str) -> bool {
    ['|', '·', '•'].iter().filter(|&&sep| text.contains(sep)).any(|&sep| {
        let parts: Vec<&str> = text.split(sep).map(str::trim).filter(|p| !p.is_empty()).collect();
        parts.len() >= 3 && parts.iter().all(|p| p.split_whitespace().count() <= 3)
    })
}

/// "Jamie Lee is a registered nurse who writes about …": a bio sentence about a writer.
fn is_author_bio(key: &str) -> bool {
    if ![" is a", " es ", " est ", " é "].iter().any(|verb| key.contains(verb)) {
        return false;
    }
    let roles = [
        " is a registered nurse",
        " is a health writer",
        " is a freelance",
        " is a medical writer",
        " is a writer",
        " is a journalist",
        " is a board-certified",
        " is a certified",
        " is a staff writer",
        " is an editor",
        " is a health editor",
        " is a science writer",
        " es periodista",
        " es enfermera",
        " es redactora",
        " es redactor",
        " est journaliste",
        " é jornalista",
    ];
    let writes =
        ["writes", "writer", "editor", "journalist", "periodista", "redact", "journaliste", "jornalista"];
    roles.iter().any(|role| key.contains(role)) && writes.iter().any(|w| key.contains(w))
}

/// A long line that reads as sentences: the body of an article.
pub(crate) fn is_prose_line(text: &str) -> bool {
    is_prose(text)
}

fn is_prose(text: &str) -> bool {
    // Words of two letters or more: "8:00 a. m. a 5:00 p. m." is not a sentence.
    let words =
        text.split_whitespace().filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2).count();
    let ends_sentence =
        text.trim_end_matches(['"', '”', '’', ')', '»']).ends_with(['.', '!', '?', '…', '。']);
    (words >= 10 && ends_sentence) || words >= 20
}

/// A short line that looks like a menu entry or a headline link: one or two words, or
/// every longer word capitalised.
fn is_menu_like(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() > 8
        || text.trim_end().ends_with(['.', ':', '!', '?', ',', ';', '。', '！', '？', '…', '：'])
    {
        return false;
    }
    if words.len() <= 2 {
        return true;
    }
    let long: Vec<&&str> = words.iter().skip(1).filter(|w| w.chars().count() >= 4).collect();
    !long.is_empty()
        && long.iter().all(|w| w.chars().next().is_some_and(|c| c.is_uppercase() || !c.is_alphabetic()))
}

fn score(text: &str, tag: Option<Furniture>, prose_words: usize) -> f64 {
    if tag.is_some() {
        // A tagged disclaimer or cookie notice is long: it must cost more than the prose
        // of its length would earn.
        return -8.0 - word_count(text).min(60) as f64;
    }
    if prose_words > 0 {
        return prose_words.min(60) as f64;
    }
    if is_menu_like(text) {
        return -2.0;
    }
    if text.trim_end().ends_with(['.', '!', '?']) && word_count(text) >= 4 {
        return 1.0;
    }
    -0.5
}

/// The start and end (inclusive) of the maximum-sum run of `scores`.
fn best_stretch(scores: &[f64]) -> Option<(usize, usize)> {
    let mut best: Option<(f64, usize, usize)> = None;
    let (mut sum, mut start) = (0.0, 0);
    for (index, &value) in scores.iter().enumerate() {
        if sum <= 0.0 {
            sum = 0.0;
            start = index;
        }
        sum += value;
        if sum > 0.0 && best.is_none_or(|(b, _, _)| sum > b) {
            best = Some((sum, start, index));
        }
    }
    best.map(|(_, start, end)| (start, end))
}

/// Finds the article in `lines`: which lines are page furniture, and which is the title.
pub(crate) fn find_article(lines: &[Line]) -> Found {
    let mut tags: Vec<Option<Furniture>> = lines.iter().map(|line| classify(&line.text)).collect();
    // Words of each prose line (0 for other lines), computed once: several passes ask.
    let prose_words: Vec<usize> =
        lines.iter().map(|line| if is_prose(&line.text) { word_count(&line.text) } else { 0 }).collect();
    extend_runs(lines, &prose_words, &mut tags);
    let scores: Vec<f64> = lines
        .iter()
        .zip(&tags)
        .zip(&prose_words)
        .map(|((line, tag), &prose)| score(&line.text, *tag, prose))
        .collect();
    let mut found = Found { removed: vec![None; lines.len()], title: None, title_text: None };
    let Some((mut start, mut end)) = best_stretch(&scores) else {
        // No prose at all: a list-only handout or a stub. Keep it whole, less what is tagged.
        found.removed = tags;
        return found;
    };
    // Untagged lines outside the body are only left out on a side of it where the page
    // shows furniture: an article pasted on its own keeps its opening and closing lines.
    let menus = menu_runs(lines);
    let tagged_before = (0..start).rev().find(|&i| tags[i].is_some() || menus[i]);
    let tagged_after = (end + 1..lines.len()).any(|i| tags[i].is_some() || menus[i]);
    if tagged_after {
        end = extend_end(lines, &tags, end);
    } else {
        end = lines.len() - 1;
    }
    match tagged_before {
        None => start = 0,
        Some(last_tagged) => {
            let (title, body_start) = find_title(lines, &tags, start, end);
            found.title = title;
            start = match title {
                Some(_) => body_start,
                None => last_tagged + 1,
            };
        }
    }
    if let Some(title) = found.title {
        found.title_text = split_site_name(&lines[title].text).map(str::to_string);
    }
    for (index, tag) in tags.iter().enumerate() {
        found.removed[index] = if Some(index) == found.title {
            None
        } else if index < start && tag.is_none() && split_site_name(&lines[index].text).is_some() {
            Some(Furniture::PageTitle)
        } else if index < start || index > end {
            Some(tag.unwrap_or(Furniture::OutsideArticle))
        } else {
            *tag
        };
    }
    found
}

/// Lines in runs of three or more menu-like lines (a site's menu pasted one entry per
/// line, a footer's link list), unless a lead-in introduces them as a list. They are
/// evidence that the paste holds a whole page.
fn menu_runs(lines: &[Line]) -> Vec<bool> {
    let mut marks = vec![false; lines.len()];
    let mut run_start = 0;
    for index in 0..=lines.len() {
        let menu =
            lines.get(index).is_some_and(|line| is_menu_like(&line.text) && word_count(&line.text) <= 4);
        if menu {
            continue;
        }
        let introduced = run_start > 0 && lines[run_start - 1].text.trim_end().ends_with(':');
        if index - run_start >= 3 && !introduced {
            marks[run_start..index].iter_mut().for_each(|m| *m = true);
        }
        run_start = index + 1;
    }
    marks
}

/// Tags the short lines after a run-opening tag with the same kind, until prose resumes.
/// The last line before the prose is left untagged when it could be the heading of what
/// follows.
fn extend_runs(lines: &[Line], prose_words: &[usize], tags: &mut [Option<Furniture>]) {
    // Prose words from each line to the end: a comment section or bio runs through prose
    // only when more of the page's prose stands above it than below, so a "Comments"
    // link at the top can never swallow the article.
    let mut prose_after = vec![0usize; lines.len() + 1];
    for index in (0..lines.len()).rev() {
        prose_after[index] = prose_after[index + 1] + prose_words[index];
    }
    // The open run's kind, the index of the line that opened it, and whether it goes on
    // through prose.
    let mut open: Option<(Furniture, usize, bool)> = None;
    for index in 0..lines.len() {
        let text = &lines[index].text;
        match tags[index] {
            // A header line ("Related articles", "Sign up for our newsletter") opens a run;
            // an inline "Read more: <title>" or a "Subscribe" button does not.
            Some(kind)
                if kind.opens_run()
                    && if kind.opens_run_alone() { is_exact(text) } else { word_count(text) >= 3 } =>
            {
                let before = prose_after[0] - prose_after[index];
                let through = kind.runs_through_prose() && before > prose_after[index];
                open = Some((kind, index, through));
            }
            Some(_) => {}
            None => {
                let Some((kind, opener, through)) = open else { continue };
                if let Some(max) = kind.max_run()
                    && (index - opener > max
                        || lines[index].blank_before
                        || super::text::has_list_marker(text))
                {
                    open = None;
                    continue;
                }
                // A box's pitch ("Join 20,000 readers and get…") is a sentence of its own.
                let pitch = kind.max_run().is_some() && word_count(text) < 20;
                if prose_words[index] > 0 && !through && !pitch {
                    open = None;
                    // A heading right before the prose belongs to the article again.
                    let previous = index - 1;
                    if previous > opener
                        && tags[previous] == Some(kind)
                        && looks_like_heading(&lines[previous].text)
                    {
                        tags[previous] = None;
                    }
                    continue;
                }
                tags[index] = Some(kind);
            }
        }
    }
}

/// Widens the end of the body over a closing list or sentence that scored below zero.
fn extend_end(lines: &[Line], tags: &[Option<Furniture>], mut end: usize) -> usize {
    let mut in_list = lines[end].text.trim_end().ends_with(':');
    while let Some(next) = lines.get(end + 1) {
        if tags[end + 1].is_some() {
            break;
        }
        let text = next.text.trim();
        let marked = super::text::has_list_marker(text);
        let closing_sentence =
            text.ends_with(['.', '!', '?']) && text.split_whitespace().count() >= 3 && !is_menu_like(text);
        let item = in_list && !is_menu_like(text) && text.split_whitespace().count() <= 25;
        let lead_in = text.ends_with(':') && text.split_whitespace().count() <= 25;
        if !(marked || closing_sentence || item || lead_in) {
            break;
        }
        in_list = in_list || lead_in || marked;
        end += 1;
    }
    end
}

/// How far above the body a title is looked for when none stands next to it.
const MAX_TITLE_SEARCH: usize = 40;
/// The shared-word weight a distant title needs: two of the article's main words.
const STRONG_TITLE_WEIGHT: f64 = 4.0;

/// The candidate sharing the most (frequency-weighted) words with the body, above
/// `min_weight`; on a tie, the one nearest the body. Words the body repeats weigh more:
/// the article's subject ("asthma" twenty times) beats a breadcrumb's or slogan's words
/// that the body happens to use once.
fn best_title(
    lines: &[Line],
    candidates: &[usize],
    body_words: &HashMap<String, usize>,
    min_weight: f64,
) -> Option<(f64, usize)> {
    candidates
        .iter()
        .map(|&index| {
            let text = split_site_name(&lines[index].text).unwrap_or(&lines[index].text);
            let shared: f64 = content_words(std::iter::once(text))
                .keys()
                .map(|word| body_words.get(word).map_or(0.0, |&n| (1.0 + n as f64).ln()))
                .sum();
            (shared, index)
        })
        .filter(|&(shared, _)| shared > min_weight)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
}

/// The title above the body and where the body then starts. Walks up from the first
/// body line over tagged lines (bylines, share bars) and candidate lines, stopping at
/// navigation; the candidate sharing most words with the body is the title, and the
/// candidates after it open the body as its first headings.
fn find_title(
    lines: &[Line],
    tags: &[Option<Furniture>],
    start: usize,
    end: usize,
) -> (Option<usize>, usize) {
    let mut candidates = Vec::new();
    let mut index = start;
    // A standfirst (one or two sentences under the title, above the byline) is passed
    // over once: it belongs to the body, and the title is above it.
    let mut standfirst = false;
    while index > 0 && candidates.len() < 6 {
        index -= 1;
        let text = &lines[index].text;
        match tags[index] {
            Some(Furniture::PageTitle) => candidates.push(index),
            Some(Furniture::Navigation | Furniture::Breadcrumbs | Furniture::CookieNotice) => break,
            Some(_) => continue,
            None if !is_title_like(text)
                && !standfirst
                && candidates.is_empty()
                && word_count(text) <= 40 =>
            {
                standfirst = true;
            }
            None if !is_title_like(text) => break,
            None if is_menu_like(text) && !candidates.is_empty() && text.split_whitespace().count() <= 2 => {
                break;
            }
            None => candidates.push(index),
        }
    }
    let body_words = content_words(lines[start..=end].iter().map(|line| line.text.as_str()));
    let best = best_title(lines, &candidates, &body_words, 0.0);
    if best.is_none() {
        // Nothing next to the body: the page's own heading may stand higher, above a
        // review widget or a disclaimer box (an <h1> pasted as the first line). It must
        // share the article's subject clearly, and the body still starts where it did.
        let above: Vec<usize> = (start.saturating_sub(MAX_TITLE_SEARCH)..start)
            .filter(|&i| tags[i].is_none() && is_title_like(&lines[i].text) && !is_menu_like(&lines[i].text))
            .collect();
        if let Some((_, title)) = best_title(lines, &above, &body_words, STRONG_TITLE_WEIGHT) {
            return (Some(title), start);
        }
    }
    match best {
        Some((_, title)) => (Some(title), title + 1),
        None => {
            // No title above the body: the first body line may itself be the title.
            (None, start)
        }
    }
}

fn is_title_like(text: &str) -> bool {
    let words = text.split_whitespace().count();
    (1..=16).contains(&words) && !text.trim_end().ends_with(['.', ',', ';', ':'])
}

/// "How to Treat a Burn | Lakeside Health" → "How to Treat a Burn". A dash splits only
/// when what follows names a site ("– Lakeside Health"), since headings use dashes too
/// ("Asthma – what to do").
pub fn split_site_name(text: &str) -> Option<&str> {
    const SITE_WORDS: &[&str] = &[
        "health",
        "clinic",
        "hospital",
        "center",
        "centre",
        "society",
        "foundation",
        "association",
        "institute",
        "nhs",
        "medicine",
        "medical",
        "care",
        ".com",
        ".org",
        ".gov",
        "salud",
        "clínica",
        "hospital",
        "santé",
        "saúde",
        "magazine",
        "blog",
        "news",
    ];
    for sep in [" | ", " :: ", " – ", " — ", " - "] {
        if let Some((title, site)) = text.rsplit_once(sep) {
            let site_words = site.split_whitespace().count();
            // "– Summit Orthopedic Associates": every word capitalised, like a name.
            let capitalised =
                site.split_whitespace().all(|w| w.chars().next().is_some_and(char::is_uppercase));
            let names_site = sep.contains(['|', ':'])
                || capitalised
                || SITE_WORDS.iter().any(|w| site.to_lowercase().contains(w));
            if (1..=6).contains(&site_words) && title.split_whitespace().count() >= 2 && names_site {
                return Some(title.trim());
            }
        }
    }
    None
}

/// Content words (four letters or more, not stop words) with how often each occurs.
fn content_words<'a>(texts: impl Iterator<Item = &'a str>) -> HashMap<String, usize> {
    let mut words = HashMap::new();
    for text in texts {
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            if word.chars().count() >= 4 {
                let lower = word.to_lowercase();
                if !STOP_WORDS.contains(lower.as_str()) {
                    *words.entry(stem(&lower)).or_insert(0) += 1;
                }
            }
        }
    }
    words
}

/// A crude shared stem so "feet"/"foot" do not matter but "burns"/"burn" do.
fn stem(word: &str) -> String {
    word.trim_end_matches('s').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_lines_are_tagged() {
        for (text, kind) in [
            ("Skip to main content", Furniture::Navigation),
            ("Home", Furniture::Navigation),
            ("Home > Health A-Z > Asthma", Furniture::Breadcrumbs),
            ("Inicio / Salud / Asma", Furniture::Breadcrumbs),
            ("By Dana Ortiz, RN | Updated May 3, 2024", Furniture::Byline),
            ("Medically reviewed by Sam Lee, MD", Furniture::Byline),
            ("Last Reviewed: 03/2024", Furniture::ReviewDate),
            ("Última revisión: marzo de 2024", Furniture::ReviewDate),
            ("Print | Email | Share", Furniture::ShareButtons),
            ("Advertisement", Furniture::Advertising),
            ("We use cookies to give you the best experience on our website.", Furniture::CookieNotice),
            ("© 2025 Lakeside Health. All rights reserved.", Furniture::Footer),
            ("May 3, 2024", Furniture::Byline),
            ("12 de marzo de 2024", Furniture::Byline),
            ("5 min read", Furniture::Byline),
            ("Jamie Lee is a registered nurse who writes about heart health.", Furniture::AuthorBio),
            ("Artículos relacionados", Furniture::RelatedLinks),
        ] {
            assert_eq!(classify(text), Some(kind), "{text}");
        }
        for text in [
            "Wash your feet every day.",
            "By the way, walking helps too.",
            "Eat fewer cookies and cakes.",
            "Symptoms include:",
            "When to call your doctor",
            "Home care after surgery",
        ] {
            assert_eq!(classify(text), None, "{text}");
        }
    }

    #[test]
    fn stretch_is_the_maximum_sum_run() {
        assert_eq!(best_stretch(&[-2.0, -2.0, 30.0, -1.0, 20.0, -8.0, -8.0]), Some((2, 4)));
        assert_eq!(best_stretch(&[-1.0, -1.0]), None);
    }

    #[test]
    fn site_name_is_split_off_titles() {
        assert_eq!(split_site_name("How to Treat a Burn | Lakeside Health"), Some("How to Treat a Burn"));
        // One word before the separator is more likely a heading with a dash than a title.
        assert_eq!(split_site_name("Asthma - NHS"), None);
        assert_eq!(
            split_site_name("Caring for your feet – Diabetes Care Society"),
            Some("Caring for your feet")
        );
    }
}
