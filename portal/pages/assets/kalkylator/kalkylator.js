/* The calculator page: form <-> URL <-> Web Worker (Pyodide) <-> result.
   The Python package decides everything; this script only moves values and shows answers. */
(function () {
  "use strict";

  /* The page's other scripts (Material's bundle, portal.js) wait in a <template> until the
     calculator has answered: they would compete with Python's start for the processor. */
  var laterScripts = document.getElementById("portal-later-scripts");
  var pageScriptsStarted = false;
  function startPageScripts() {
    if (pageScriptsStarted || !laterScripts) { return; }
    pageScriptsStarted = true;
    var sources = Array.prototype.map.call(laterScripts.content.querySelectorAll("script[src]"),
      function (script) { return script.getAttribute("src"); });
    (function next(index) {
      if (index === sources.length) {
        /* Material sets itself up on DOMContentLoaded, which has passed: announce it again. */
        document.dispatchEvent(new Event("DOMContentLoaded"));
        return;
      }
      var script = document.createElement("script");
      script.src = sources[index];
      script.onload = script.onerror = function () { next(index + 1); };
      document.body.appendChild(script);
    })(0);
  }
  ["pointerdown", "keydown", "focusin"].forEach(function (type) {
    document.addEventListener(type, startPageScripts, { once: true, capture: true });
  });
  setTimeout(startPageScripts, 5000);

  var form = document.getElementById("kalkylator");
  if (!form || !window.portalKalkylator) { startPageScripts(); return; }
  form.hidden = false;

  var FIELDS = ["region", "date", "age", "birth-date", "provider", "profession", "contact", "paid", "period-start"];
  var status = form.querySelector("[data-kalk-status]");
  var result = document.getElementById("resultat");
  var ready = false;
  var pending = null;
  var nextId = 0;
  var latestId = 0;

  function localToday() {
    var now = new Date();
    var pad = function (n) { return String(n).padStart(2, "0"); };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function field(name) { return form.elements.namedItem(name); }

  function values() {
    var request = {};
    FIELDS.forEach(function (name) {
      var element = field(name);
      var value = element ? String(element.value || "").trim() : "";
      if (value !== "") { request[name] = value; }
    });
    return request;
  }

  function fill(params) {
    FIELDS.forEach(function (name) {
      if (!params.has(name)) { return; }
      var element = field(name);
      if (element) { element.value = params.get(name); }
    });
  }

  function linkFor(request) {
    var url = new URL(window.location.href);
    url.search = "";
    url.hash = "";
    FIELDS.forEach(function (name) {
      if (request[name] !== undefined) { url.searchParams.set(name, request[name]); }
    });
    return url.href;
  }

  function clearErrors() {
    form.querySelectorAll("[data-error-for]").forEach(function (node) { node.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (node) { node.removeAttribute("aria-invalid"); });
  }

  function showError(message, name) {
    var target = name && form.querySelector('[data-error-for="' + name + '"]');
    result.hidden = false;
    result.removeAttribute("data-to-pay");
    result.removeAttribute("data-remaining");
    result.removeAttribute("data-fee");
    result.setAttribute("data-error", "");
    if (target) {
      target.textContent = message;
      var input = field(name);
      var control = input && input.length !== undefined && !input.tagName ? input[0] : input;
      if (control) { control.setAttribute("aria-invalid", "true"); control.focus(); }
      result.textContent = "Rätta uppgiften som är markerad ovan.";
    } else {
      result.textContent = message;
      result.focus();
    }
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  /* Amounts come formatted from Python (data.kronor), as in the table without JavaScript. */
  function bar(data) {
    var text = data.kronor;
    var paid = data.cap - data.remaining - data.to_pay; /* the rules' remaining = cap - paid - to_pay */
    var wrap = element("div", "kalk-bar");
    wrap.setAttribute("role", "img");
    wrap.setAttribute("aria-label", "Betalt hittills " + text.paid + ", det här besöket " + text.to_pay +
      ", kvar till taket " + text.remaining + ", av " + text.cap + ".");
    [["kalk-bar__paid", paid], ["kalk-bar__visit", data.to_pay], ["kalk-bar__left", data.remaining]].forEach(function (part) {
      var segment = element("span", part[0]);
      segment.style.width = (data.cap > 0 ? (100 * part[1] / data.cap) : 0) + "%";
      wrap.appendChild(segment);
    });
    var legend = element("ul", "kalk-legend");
    [["kalk-bar__paid", "Betalt hittills: " + text.paid], ["kalk-bar__visit", "Det här besöket: " + text.to_pay],
     ["kalk-bar__left", "Kvar till frikort: " + text.remaining]].forEach(function (item) {
      var entry = element("li");
      entry.appendChild(element("span", "kalk-swatch " + item[0]));
      entry.appendChild(document.createTextNode(item[1]));
      legend.appendChild(entry);
    });
    var container = element("div");
    container.appendChild(wrap);
    container.appendChild(legend);
    return container;
  }

  function showResult(data) {
    result.hidden = false;
    result.removeAttribute("data-error");
    result.setAttribute("data-to-pay", String(data.to_pay));
    result.setAttribute("data-remaining", String(data.remaining));
    result.setAttribute("data-fee", String(data.fee));
    result.textContent = "";
    var text = data.kronor;
    var heading = element("h2", "kalk-result__title", "Du betalar " + text.to_pay + " för besöket");
    result.appendChild(heading);
    var summary = element("p", null,
      "Ordinarie avgift: " + text.fee + ". Högkostnadstak: " + text.cap + ". " +
      (data.frikort ? "Efter besöket har du frikort." : "Kvar till frikort efter besöket: " + text.remaining + "."));
    result.appendChild(summary);
    if (data.period_end) {
      result.appendChild(element("p", null, "Perioden gäller till och med " + data.period_end + "."));
    }
    result.appendChild(bar(data));
    var notes = element("ul", "kalk-notes");
    data.notes.forEach(function (note) { notes.appendChild(element("li", null, note)); });
    result.appendChild(notes);
    var sources = element("details", "kalk-sources");
    sources.appendChild(element("summary", null, "Källor"));
    var list = element("ul");
    data.sources.forEach(function (source) { list.appendChild(element("li", null, source)); });
    sources.appendChild(list);
    result.appendChild(sources);
  }

  /* The worker was started from the page's <head> (kalkylator.html); it may be ready already. */
  var state = window.portalKalkylator;
  var worker = state.worker;
  function started() {
    ready = true;
    status.textContent = "Kalkylatorn är klar.";
    if (pending) { var request = pending; pending = null; send(request); } else { startPageScripts(); }
    /* Only now, and a moment later: the service worker and the memory snapshot would slow
       Python's start if they ran alongside it. */
    setTimeout(prepareNextVisit, 1000);
  }

  function prepareNextVisit() {
    if ("serviceWorker" in navigator && window.isSecureContext) {
      navigator.serviceWorker.register(form.getAttribute("data-service-worker")).catch(function () {});
    }
    if (state.timings && state.timings.fromSnapshot) { return; }
    var snapshotWorker = new Worker(state.workerUrl, { type: "module" });
    snapshotWorker.addEventListener("message", function (event) {
      if (event.data.type === "snapshot-stored") {
        state.snapshotStored = event.data.stored;
        snapshotWorker.terminate();
      }
    });
    snapshotWorker.postMessage({ type: "snapshot", pyodideUrl: state.pyodideUrl, stdlibUrl: state.stdlibUrl });
  }
  function broken() {
    status.textContent = "Kalkylatorn kunde inte starta. Ladda om sidan, eller använd tabellen nedanför.";
  }
  worker.addEventListener("message", function (event) {
    var message = event.data;
    if (message.type === "ready") {
      started();
    } else if (message.type === "failed") {
      broken();
      startPageScripts();
    } else if (message.type === "result" && message.id === latestId) {
      var data = message.data;
      if (data.error) { showError(data.error, data.field); } else { showResult(data); }
      startPageScripts();
    }
  });

  function send(request) {
    latestId = ++nextId;
    worker.postMessage({ type: "calculate", id: latestId, request: JSON.stringify(request), today: localToday() });
  }

  function compute() {
    clearErrors();
    var request = values();
    history.replaceState(null, "", linkFor(request));
    if (ready) { send(request); } else {
      pending = request;
      status.textContent = "Laddar kalkylatorn … Resultatet visas så snart den är klar.";
    }
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); compute(); });

  var copyButton = form.querySelector("[data-kalk-copy]");
  var copyStatus = copyButton.parentElement.querySelector(".portal-copy__status");
  copyButton.addEventListener("click", function () {
    var url = linkFor(values());
    var done = function () { copyStatus.textContent = "Länken till beräkningen är kopierad."; };
    var failed = function () { copyStatus.textContent = "Det gick inte att kopiera. Adressen är " + url; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(done, failed);
    } else { failed(); }
  });

  var params = new URLSearchParams(window.location.search);
  fill(params);
  if (FIELDS.some(function (name) { return params.has(name); })) { compute(); }
  if (state.ready) { started(); } else if (state.failed) { broken(); }

})();
