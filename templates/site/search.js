/* Search as you type and filters for the catalogue (out/site/assets/search.js).
   Plain JavaScript, no library, no fetch(): the data comes from assets/catalogue.js,
   which sets window.HANDOUTS, so the page works from a web server and from file://.
   Without JavaScript the page shows the whole list and hides the search form.

   Matching: text is folded (accents removed, lower case) and split into words; every
   word of the query must start a word of the handout. Ranking: a word found in the
   title counts most, then headings, then the summary, then the topics. */
(function (root) {
  'use strict';

  var WEIGHT = { title: 8, headings: 4, summary: 2, tags: 1 };

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
        tags: tokens(tags.join(' '))
      };
    });
    index.stop = stop;
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

  /* "3 handouts found", from the labels on the count element. */
  function countText(labels, n) {
    if (n === 0) return labels.none;
    if (n === 1) return labels.one;
    return labels.many.replace('{n}', String(n));
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
    // The data file lists the handouts in the order of this list (src/site/catalogue.rs).
    if (order.length !== data.handouts.length) return;
    var index = prepare(data, order);
    var labels = { many: count.getAttribute('data-many'), one: count.getAttribute('data-one'),
      none: count.getAttribute('data-none') };
    var timer = null;

    function filters() {
      var values = {};
      Object.keys(selects).forEach(function (key) {
        var select = doc.getElementById(selects[key]);
        values[key] = select ? select.value : '';
      });
      return values;
    }

    function update(now) {
      var ids = search(index, input.value, filters());
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
      // The count is a live region: announce it once typing pauses, not per key.
      var text = countText(labels, ids.length);
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

  var api = { fold: fold, tokens: tokens, prepare: prepare, search: search, countText: countText, init: init };
  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  } else if (root.document && root.HANDOUTS) {
    init(root.document, root.HANDOUTS);
  }
})(this);
