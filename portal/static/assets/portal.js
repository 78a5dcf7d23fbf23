/* Portal behaviour on top of Material: copy-link buttons and "Sök bland frågorna" buttons.
   Plain script, no dependencies; everything still readable without it. */
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    /* Older browsers and plain-http hosts: the selection-based fallback. */
    return new Promise(function (resolve, reject) {
      var field = document.createElement("textarea");
      field.value = text;
      field.setAttribute("readonly", "");
      field.style.position = "fixed";
      field.style.opacity = "0";
      document.body.appendChild(field);
      field.select();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
      document.body.removeChild(field);
      if (copied) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  function setUpCopyButtons() {
    document.querySelectorAll("[data-portal-copy]").forEach(function (button) {
      var status = button.parentElement.querySelector(".portal-copy__status");
      button.addEventListener("click", function () {
        var url = new URL(button.getAttribute("data-portal-copy"), window.location.href);
        url.search = "";
        url.hash = "";
        copyText(url.href).then(function () {
          status.textContent = "Länken är kopierad.";
          status.setAttribute("data-copied-url", url.href);
        }, function () {
          status.textContent = "Det gick inte att kopiera. Adressen är " + url.href;
        });
      });
    });
  }

  function setUpSearchButtons() {
    var toggle = document.getElementById("__search");
    document.querySelectorAll("[data-portal-open-search]").forEach(function (button) {
      button.addEventListener("click", function () {
        if (toggle && !toggle.checked) {
          toggle.checked = true;
          toggle.dispatchEvent(new Event("change"));
        }
        var input = document.querySelector(".md-search__input");
        if (input) { input.focus(); }
      });
    });
  }

  /* When a search finds nothing, never leave the patient there: offer a spelling suggestion
     ("menade du …?") from the site's own words, the categories and the contact routes. The
     words come from search/portal-hjalp.json, written at build time next to the index. */

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  /* Edit distance with transpositions (optimal string alignment), stopping past `limit`. */
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) { return limit + 1; }
    var previous2 = null, previous = [], row, i, j;
    for (j = 0; j <= b.length; j++) { previous.push(j); }
    for (i = 1; i <= a.length; i++) {
      row = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var value = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
        if (previous2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          value = Math.min(value, previous2[j - 2] + 1);
        }
        row.push(value);
        best = Math.min(best, value);
      }
      if (best > limit) { return limit + 1; }
      previous2 = previous;
      previous = row;
    }
    return previous[b.length];
  }

  function suggestion(query, words) {
    var known = {};
    words.forEach(function (pair) {
      var key = fold(pair[0]);
      if (!known[key]) { known[key] = pair; }
    });
    var changed = false;
    var parts = query.split(/\s+/).filter(Boolean).map(function (part) {
      var token = fold(part).replace(/[^a-z0-9-]/g, "");
      if (token.length < 3 || known[token]) { return known[token] ? known[token][0] : part; }
      var limit = token.length <= 4 ? 1 : token.length <= 10 ? 2 : 3;
      var best = null;
      words.forEach(function (pair) {
        var candidate = fold(pair[0]);
        /* Beyond one slip, a different first letter is more often a different word. */
        var allowed = candidate[0] === token[0] ? limit : 1;
        var score = distance(token, candidate, allowed);
        if (score <= allowed && (!best || score < best.score || (score === best.score && pair[1] > best.count))) {
          best = { word: pair[0], score: score, count: pair[1] };
        }
      });
      /* Swedish writes compounds as one word: "frikortsgräns" may be two words the site knows. */
      for (var cut = 3; cut <= token.length - 3 && (!best || best.score > 0); cut++) {
        var left = token.slice(0, cut), right = token.slice(cut);
        var head = known[left] || (left.slice(-1) === "s" && known[left.slice(0, -1)]);
        if (head && known[right] && (!best || best.score >= 1)) {
          best = { word: head[0] + " " + known[right][0], score: 0.5, count: 0 };
        }
      }
      if (!best) { return part; }
      changed = true;
      return best.word;
    });
    return changed ? parts.join(" ") : null;
  }

  function element(tag, text, attributes) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    return node;
  }

  function renderHelp(panel, query, help, base, input) {
    panel.replaceChildren();
    var better = suggestion(query, help.words);
    panel.appendChild(element("p", "Inget svar passar ”" + query + "”." + (better ? " Menade du " + better + "?" : ""), {
      "class": "portal-visually-hidden", role: "status"
    }));
    if (better) {
      var line = element("p", "Menade du ");
      var button = element("button", better, { type: "button", "class": "portal-search-help__suggestion" });
      button.addEventListener("click", function () {
        input.value = better;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
        input.focus();
      });
      line.appendChild(button);
      line.appendChild(document.createTextNode("?"));
      panel.appendChild(line);
    }
    panel.appendChild(element("h2", "Välj ett område"));
    var list = element("ul", "", { "class": "portal-search-help__categories" });
    help.categories.forEach(function (category) {
      var item = element("li");
      item.appendChild(element("a", category.title, { href: new URL(category.url, base).href }));
      list.appendChild(item);
    });
    panel.appendChild(list);
    panel.appendChild(element("h2", "Fråga oss"));
    var contact = help.contact;
    var text = element("p", "Kontakta " + contact.name + " på ");
    text.appendChild(element("a", contact.email, { href: "mailto:" + contact.email }));
    text.appendChild(document.createTextNode(" eller "));
    text.appendChild(element("a", contact.phone, { href: contact.phone_link }));
    text.appendChild(document.createTextNode(", " + contact.hours + "."));
    panel.appendChild(text);
    panel.hidden = false;
  }

  function setUpSearchHelp() {
    var panel = document.querySelector("[data-portal-search-help]");
    var input = document.querySelector(".md-search__input");
    var meta = document.querySelector(".md-search-result__meta");
    var list = document.querySelector(".md-search-result__list");
    var config = document.getElementById("__config");
    if (!panel || !input || !meta || !list || !config) { return; }
    var settings = JSON.parse(config.textContent);
    var base = new URL(settings.base.replace(/\/?$/, "/"), window.location.href);
    var none = (settings.translations || {})["search.result.none"];
    var help = null;
    var shown = "";
    function update() {
      var query = input.value.trim();
      var nothing = query && list.children.length === 0 && meta.textContent.trim() === none;
      if (!nothing) {
        panel.hidden = true;
        shown = "";
        return;
      }
      if (query === shown) { return; }
      shown = query;
      help = help || fetch(new URL("search/portal-hjalp.json", base)).then(function (response) {
        return response.ok ? response.json() : null;
      }).catch(function () { return null; });
      help.then(function (data) {
        if (data && input.value.trim() === query) { renderHelp(panel, query, data, base, input); }
      });
    }
    new MutationObserver(update).observe(meta, { childList: true, characterData: true, subtree: true });
    input.addEventListener("input", update);
  }

  setUpCopyButtons();
  setUpSearchButtons();
  setUpSearchHelp();
})();
