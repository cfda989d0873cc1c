// qmskit: search that finds a word in its other forms ("asiakkaan" finds "asiakas", "orders" finds "ordering").
// mkdocs-material indexes the words as written and completes every query term with `*`; lunr's stemmers (Finnish
// from lunr-languages, English built in) are then of no use, because a stemmed index holds "asiak" and a query
// "asiakkaan*" is not stemmed (lunr skips its pipeline for a term with a wildcard). qmskit keeps the stemmer in the
// index (plugins.search.pipeline) and, here, stems each plain word of a query before mkdocs-material completes it.
// This file is put in front of mkdocs-material's own search worker under the worker's own name; it changes only
// the text of the query messages, and it only wraps the worker's "message" listener.
(function () {
  "use strict";
  var SETUP = 0, QUERY = 2;  // mkdocs-material's SearchMessageType
  var language = "en";
  var plain = /^[\p{L}\p{N}]+$/u;  // a word with nothing lunr's query syntax reads (no *, ~, ^, +, -, :, quotes)

  function stemmer() {
    var lunr = self.lunr;
    if (!lunr || !language) return null;
    if (language === "en") return lunr.stemmer || null;
    return lunr[language] && lunr[language].stemmer ? lunr[language].stemmer : null;
  }

  function stemmed(query) {
    var stem = stemmer();
    if (!stem) return query;
    return query.split(/(\s+)/).map(function (part) {
      if (!plain.test(part)) return part;
      var token = stem(new self.lunr.Token(part.toLowerCase(), {}));
      var text = token ? token.toString() : "";
      return text || part;
    }).join("");
  }

  var listen = self.addEventListener.bind(self);
  self.addEventListener = function (type, listener, options) {
    if (type !== "message" || typeof listener !== "function") return listen(type, listener, options);
    return listen(type, function (event) {
      var message = event.data;
      if (message && message.type === SETUP && message.data && message.data.config
          && Array.isArray(message.data.config.lang)) {  // several languages: lunr.multiLanguage, no stemming here
        language = message.data.config.lang.length === 1 ? String(message.data.config.lang[0]) : "";
      } else if (message && message.type === QUERY && typeof message.data === "string") {
        message = {type: QUERY, data: stemmed(message.data)};
      }
      return listener.call(this, {data: message});
    }, options);
  };
}());
