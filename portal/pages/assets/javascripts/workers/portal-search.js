/* Search worker wrapper: runs Material's own search worker, and widens each query the way
   patients type before Material sees it.

   Material's worker takes a query message {type, data: "<query>"}. For every plain word of
   the query this adds
   - its Swedish stem (lunr's Snowball stemmer), so "natten" also finds "natt" and
     "hämtar" finds "hämta": the index is not stemmed, and Material appends a wildcard;
   - a fuzzy form with one edit for words of five letters or more, so "recpet" finds
     "recept" and "persnuppgifter" finds "personuppgifter".
   Diacritics need nothing here: the index carries folded forms of every word (the
   portal-faq plugin), so "hogkostnadsskydd" finds "högkostnadsskydd".

   The URL of Material's worker comes as ?material=<file>, filled in by portal/theme/main.html,
   so a Material upgrade with a new file name needs no change here. */
"use strict";

var PLAIN_WORD = /^[\p{L}\p{N}]+$/u;

function widen(query) {
  var words = query.trim().split(/\s+/);
  var extra = [];
  words.forEach(function (word) {
    if (!PLAIN_WORD.test(word)) { return; }
    var lower = word.toLowerCase();
    if (lower.length >= 4 && self.lunr && self.lunr.sv && self.lunr.sv.stemmer) {
      var stem = String(self.lunr.sv.stemmer(lower));
      if (stem.length >= 3 && stem !== lower) { extra.push(stem); }
    }
    if (lower.length >= 5) { extra.push(lower + "~1"); }
  });
  return extra.length ? query + " " + extra.join(" ") : query;
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
