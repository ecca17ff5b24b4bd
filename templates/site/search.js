/* Search as you type and filters for the catalogue (out/site/assets/search.js).
   Plain JavaScript, no library, no fetch(): the data comes from assets/catalogue.js,
   which sets window.HANDOUTS, so the page works from a web server and from file://.
   Without JavaScript the page shows the whole list and hides the search form.

   A catalogue split into pages (src/site/pages.rs) has no page holding every
   handout: there the results are made from the data, each a copy of the page's
   <template id="result-template"> filled with text and attributes only (titles are
   data, never markup), at most LIMIT of them; an empty query shows the page again.

   Matching: text is folded (accents removed, lower case) and split into words; every
   word of the query must start a word of the handout. Ranking: a word found in the
   title counts most, then headings, then the summary, then the clinical codes
   (E11.9, 44054006: staff search by code; patients never see them), then the topics. */
(function (root) {
  'use strict';

  var WEIGHT = { title: 8, headings: 4, summary: 2, codes: 2, tags: 1 };
  /* At most this many results are made from the data at once. */
  var LIMIT = 100;

  function fold(text) {
    return String(text || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }

  function tokens(text) {
    return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  /* The digits of a word's code in the data file: a digit of the first half ends a
     code, one of the second half continues it (src/site/catalogue.rs, word_code). */
  var CODE_DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_';

  /* The words of a field: word codes, numbers into `vocabulary` (already folded). */
  function decode(codes, vocabulary) {
    var out = [];
    var n = 0;
    for (var i = 0; i < (codes || '').length; i++) {
      var digit = CODE_DIGITS.indexOf(codes.charAt(i));
      if (digit < 0) continue;
      n = n * 32 + (digit % 32);
      if (digit < 32) {
        if (vocabulary[n] !== undefined) out.push(vocabulary[n]);
        n = 0;
      }
    }
    return out;
  }

  /* One entry per handout, its fields already split into folded words; `ids` are the
     handouts' ids in the data's order, which is the order of the catalogue's list.
     The index also keeps the words too common to search for (data.stop), which a
     query skips. */
  function prepare(data, ids) {
    var stop = {};
    (data.stop || []).forEach(function (word) { stop[word] = true; });
    var vocabulary = String(data.words || '').split(' ');
    var topics = data.topics || [];
    var index = data.handouts.map(function (h, position) {
      var tags = (h.g || []).map(function (n) { return topics[n]; });
      return {
        handout: h,
        id: ids[position],
        position: position,
        title: tokens(h.t),
        headings: decode(h.h, vocabulary),
        summary: decode(h.s, vocabulary),
        topics: tags,
        codes: tokens(h.c),
        tags: tokens(tags.join(' '))
      };
    });
    index.stop = stop;
    index.byId = {};
    index.forEach(function (entry) { index.byId[entry.id] = entry.handout; });
    return index;
  }

  function startsAny(words, prefix) {
    for (var i = 0; i < words.length; i++) {
      if (words[i].lastIndexOf(prefix, 0) === 0) return true;
    }
    return false;
  }

  /* 0 when some query word is found nowhere; else the sum of each word's best field. */
  function score(entry, query) {
    var total = 0;
    for (var i = 0; i < query.length; i++) {
      var word = query[i];
      var best = startsAny(entry.title, word) ? WEIGHT.title
        : startsAny(entry.headings, word) ? WEIGHT.headings
        : startsAny(entry.summary, word) ? WEIGHT.summary
        : startsAny(entry.codes, word) ? WEIGHT.codes
        : startsAny(entry.tags, word) ? WEIGHT.tags : 0;
      if (!best) return 0;
      total += best;
    }
    return total;
  }

  /* The ids of the handouts that match, best first (ties keep the catalogue's order).
     filters: { lang, topic, level, book }, each '' for any. */
  function search(index, text, filters) {
    var stop = index.stop || {};
    var query = tokens(text).filter(function (word) { return !stop[word]; });
    filters = filters || {};
    var found = [];
    for (var i = 0; i < index.length; i++) {
      var entry = index[i], h = entry.handout;
      if (filters.lang && h.l !== filters.lang) continue;
      if (filters.topic && entry.topics.indexOf(filters.topic) < 0) continue;
      if (filters.level && String(h.b) !== String(filters.level)) continue;
      if (filters.book && (h.k || []).indexOf(Number(filters.book)) < 0) continue;
      var points = query.length ? score(entry, query) : 1;
      if (points > 0) found.push({ id: entry.id, points: points, position: entry.position });
    }
    found.sort(function (a, b) { return b.points - a.points || a.position - b.position; });
    return found.map(function (f) { return f.id; });
  }

  /* "3 handouts found", from the labels on the count element; with `shown` fewer than
     `n` (results made from the data, at most LIMIT), "2,345 handouts found; showing the
     first 100", the number as the page's language writes it. */
  function countText(labels, n, shown) {
    if (n === 0) return labels.none;
    if (n === 1) return labels.one;
    if (shown !== undefined && shown < n && labels.first) {
      return labels.first.replace('{n}', grouped(n, labels.group)).replace('{shown}', String(shown));
    }
    return labels.many.replace('{n}', grouped(n, labels.group));
  }

  /* `n` with groups of three digits joined by the language's digit-group label, as the
     build writes its counts (Labels::number), so a count reads the same either way. */
  function grouped(n, separator) {
    var digits = String(n);
    if (!separator) return digits;
    var out = '';
    for (var i = 0; i < digits.length; i++) {
      if (i > 0 && (digits.length - i) % 3 === 0) out += separator;
      out += digits.charAt(i);
    }
    return out;
  }

  /* Fills a copy of the result template (see src/site/pages.rs, result_template) for
     handout `h` of the data: placeholders in attributes and text replaced, the draft
     mark and the reading level dropped when the handout has none. `names` gives the
     language and level names the page's filters show. */
  /* At the desk, the review marks of a split catalogue's handouts ({id: mark}): the
     data has no review dates, so the page carries the marks its results need. */
  function reviewMarks(template) {
    if (!template.reviewMarks) {
      try { template.reviewMarks = JSON.parse(template.getAttribute('data-review') || '{}'); }
      catch (e) { template.reviewMarks = {}; }
    }
    return template.reviewMarks;
  }

  function fillResult(template, h, id, names, files) {
    var li = template.content.firstElementChild.cloneNode(true);
    var levelName = names.levels[String(h.b)];
    var grade = /^grade /.test(h.r || '')
      ? template.getAttribute('data-grade').replace('{value}', h.r.slice(6)) : (h.r || '');
    var review = reviewMarks(template)[id] || '';
    var text = { '{title}': h.t, '{lang-name}': names.langs[h.l] || h.l,
      '{level}': levelName || '', '{grade}': grade, '{review}': review };
    var mark = li.querySelector('.draft-mark');
    if (mark && !h.d) {
      if (mark.nextSibling && mark.nextSibling.nodeType === 3) mark.parentNode.removeChild(mark.nextSibling);
      mark.parentNode.removeChild(mark);
    }
    var reviewMark = li.querySelector('.review-mark');
    if (reviewMark && !review) {
      if (reviewMark.nextSibling && reviewMark.nextSibling.nodeType === 3) reviewMark.parentNode.removeChild(reviewMark.nextSibling);
      reviewMark.parentNode.removeChild(reviewMark);
    }
    if (!levelName) {
      Array.prototype.forEach.call(li.querySelectorAll('span'), function (span) {
        if (span.textContent !== '{level}') return;
        var before = span.previousSibling, after = span.nextSibling;
        if (before && before.nodeType === 3) before.nodeValue = before.nodeValue.replace(/ · $/, '');
        if (after && after.nodeType === 3) after.nodeValue = after.nodeValue.replace(' ({grade})', '');
        span.parentNode.removeChild(span);
      });
    }
    if (!files.large) {
      Array.prototype.forEach.call(li.querySelectorAll('a[href$="-large.pdf"]'), function (a) {
        if (a.previousSibling && a.previousSibling.nodeType === 3) a.parentNode.removeChild(a.previousSibling);
        a.parentNode.removeChild(a);
      });
    }
    var walker = li.ownerDocument.createTreeWalker(li, 5 /* elements and text */);
    for (var node = li; node; node = walker.nextNode()) {
      if (node.nodeType === 3) {
        // One pass: a title holding "{grade}" stays as it is.
        node.nodeValue = node.nodeValue.replace(/\{(title|lang-name|level|grade|review)\}/g, function (key) { return text[key]; });
        continue;
      }
      Array.prototype.slice.call(node.attributes).forEach(function (attribute) {
        if (attribute.name === 'lang' && attribute.value === '{lang}') node.setAttribute('lang', h.l);
        else if (attribute.value.indexOf('{id}') >= 0) node.setAttribute(attribute.name, attribute.value.split('{id}').join(id));
      });
    }
    return li;
  }

  function init(doc, data) {
    var form = doc.getElementById('search-form');
    var input = doc.getElementById('search');
    var list = doc.getElementById('results');
    var count = doc.getElementById('result-count');
    if (!form || !input || !list || !count) return;
    var selects = { lang: 'filter-lang', topic: 'filter-topic', level: 'filter-level', book: 'filter-book' };
    var items = {};
    var order = [];
    Array.prototype.forEach.call(list.querySelectorAll('li[data-id]'), function (li) {
      items[li.getAttribute('data-id')] = li;
      order.push(li.getAttribute('data-id'));
    });
    var template = doc.getElementById('result-template');
    // The data file lists the handouts in the order of this list (src/site/catalogue.rs);
    // a split catalogue's data carries the ids instead.
    var whole = order.length === data.handouts.length;
    var fromData = !whole && template && template.content && data.handouts.every(function (h) { return h.i; });
    if (!whole && !fromData) return;
    var index = prepare(data, whole ? order : data.handouts.map(function (h) { return h.i; }));
    var labels = { many: count.getAttribute('data-many'), one: count.getAttribute('data-one'),
      none: count.getAttribute('data-none'), first: count.getAttribute('data-first'),
      group: count.getAttribute('data-group') || '' };
    var timer = null;
    // What the page shows when nobody searches: its own list (or the index's list of
    // pages) and count, shown again when the query and the filters are cleared.
    var browsing = { count: count.textContent };
    var made = {};
    var names = { langs: optionNames('filter-lang'), levels: optionNames('filter-level') };

    function optionNames(id) {
      var names = {};
      var select = doc.getElementById(id);
      Array.prototype.forEach.call(select ? select.options : [], function (o) { names[o.value] = o.textContent; });
      return names;
    }

    /* The results (or, with no query, the page's own list) in the list. Every item
       shown is made once and kept while it is shown or its pick box at the desk is
       ticked: a ticked item stays in the list, hidden, so the packet form still
       sends it (as the one-page catalogue's hidden items do), and an id is never
       in the list twice. */
    function showFromData(ids, searching) {
      var wanted = searching ? ids.slice(0, LIMIT) : order;
      var shown = {};
      var fragment = doc.createDocumentFragment();
      wanted.forEach(function (id) {
        var li = items[id] || made[id] ||
          (made[id] = fillResult(template, index.byId[id], id, names, data.files || {}));
        li.hidden = false;
        shown[id] = true;
        fragment.appendChild(li);
      });
      order.concat(Object.keys(made)).forEach(function (id) {
        var li = items[id] || made[id];
        if (shown[id]) return;
        if (items[id] || li.querySelector('input:checked')) {
          li.hidden = true;
          fragment.appendChild(li);
        } else {
          delete made[id];
        }
      });
      list.textContent = '';
      list.appendChild(fragment);
      Array.prototype.forEach.call(doc.querySelectorAll('[data-browse]'), function (element) {
        element.hidden = searching;
      });
      return searching ? countText(labels, ids.length, Math.min(ids.length, LIMIT)) : browsing.count;
    }

    function filters() {
      var values = {};
      Object.keys(selects).forEach(function (key) {
        var select = doc.getElementById(selects[key]);
        values[key] = select ? select.value : '';
      });
      return values;
    }

    function update(now) {
      var chosen = filters();
      var ids = search(index, input.value, chosen);
      if (fromData) {
        var searching = tokens(input.value).length > 0 || Object.keys(chosen).some(function (k) { return chosen[k]; });
        announce(showFromData(ids, searching), now);
        return;
      }
      var shown = {};
      var fragment = doc.createDocumentFragment();
      ids.forEach(function (id) {
        var li = items[id];
        if (!li) return;
        li.hidden = false;
        shown[id] = true;
        fragment.appendChild(li);
      });
      order.forEach(function (id) {
        if (shown[id]) return;
        items[id].hidden = true;
        fragment.appendChild(items[id]);
      });
      list.appendChild(fragment);
      announce(countText(labels, ids.length), now);
    }

    // The count is a live region: announce it once typing pauses, not per key.
    function announce(text, now) {
      clearTimeout(timer);
      if (now === true) count.textContent = text;
      else timer = setTimeout(function () { count.textContent = text; }, 400);
    }

    form.addEventListener('submit', function (event) { event.preventDefault(); update(true); });
    input.addEventListener('input', function () { update(false); });
    Object.keys(selects).forEach(function (key) {
      var select = doc.getElementById(selects[key]);
      if (select) select.addEventListener('change', function () { update(false); });
    });
    var params = root.location && root.location.search ? new URLSearchParams(root.location.search) : null;
    if (params && params.get('q')) {
      input.value = params.get('q');
      update(true);
    }
  }

  var api = { fold: fold, tokens: tokens, prepare: prepare, search: search, countText: countText,
    fillResult: fillResult, init: init };
  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  } else if (root.document && root.HANDOUTS) {
    init(root.document, root.HANDOUTS);
  }
})(this);
