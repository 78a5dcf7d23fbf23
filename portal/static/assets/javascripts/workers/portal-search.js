/* Search worker wrapper: runs Material's own search worker, folds diacritics on both sides
   and widens each query the way patients type before Material sees it.

   - Every indexed word is folded (å, ä -> a, ö -> o, é -> e) by a function added at the end
     of lunr's index pipeline, and every query word is folded here, so "hogkostnadsskydd"
     finds "högkostnadsskydd" without a second copy of each word in the index.
   - For every plain word of the query it adds its Swedish stem (lunr's Snowball stemmer),
     so "natten" also finds "natt" and "hämtar" finds "hämta" (the index is not stemmed, and
     Material appends a wildcard), and a fuzzy form with one edit for words of five letters
     or more, so "recpet" finds "recept" and "persnuppgifter" finds "personuppgifter".

   The URL of Material's worker comes as ?material=<file>, filled in by portal/theme/main.html,
   so a Material upgrade with a new file name needs no change here. */
"use strict";

var PLAIN_WORD = /^[\p{L}\p{N}]+$/u;

function fold(text) {
  return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
}

function isStopWord(word) {
  var filter = self.lunr && self.lunr.sv && self.lunr.sv.stopWordFilter;
  return Boolean(filter) && filter(word) === undefined;
}

function widen(query) {
  var words = query.trim().split(/\s+/);
  var kept = [];
  var extra = [];
  words.forEach(function (word) {
    if (!PLAIN_WORD.test(word)) { kept.push(fold(word)); return; }
    var lower = word.toLowerCase();
    if (isStopWord(lower)) { kept.push(lower); return; }
    kept.push(fold(lower));
    if (lower.length >= 4 && self.lunr && self.lunr.sv && self.lunr.sv.stemmer) {
      var stem = fold(String(self.lunr.sv.stemmer(lower)));
      if (stem.length >= 3 && stem !== fold(lower)) { extra.push(stem); }
    }
    if (lower.length >= 5) { extra.push(fold(lower) + "~1"); }
  });
  return kept.concat(extra).join(" ");
}

function foldToken(token) {
  return token.update(fold);
}

function addFoldingToIndexPipeline(lunr) {
  lunr.Pipeline.registerFunction(foldToken, "portalFold");
  var add = lunr.Builder.prototype.add;
  lunr.Builder.prototype.add = function (doc, attributes) {
    if (!this.portalFolding) {
      this.portalFolding = true;
      this.pipeline.add(foldToken);
      this.searchPipeline.add(foldToken);
    }
    return add.call(this, doc, attributes);
  };
}

var addListener = self.addEventListener.bind(self);
self.addEventListener = function (type, listener, options) {
  if (type !== "message") { return addListener(type, listener, options); }
  return addListener("message", function (event) {
    var message = event.data;
    if (message && typeof message.data === "string") {
      var widened = { type: message.type, data: widen(message.data) };
      return listener(new MessageEvent("message", { data: widened }));
    }
    return listener(event);
  }, options);
};

importScripts(new URLSearchParams(self.location.search).get("material"));
addFoldingToIndexPipeline(self.lunr);
