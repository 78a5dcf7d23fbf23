/* The calculator page: form <-> URL <-> Web Worker (Pyodide) <-> result.
   The Python package decides everything; this script only moves values and shows answers.
   While Python loads, it shows the ordinary fee of the choice from a table the same package
   computed at build time (it looks a row up, it computes nothing), a progress bar, and, if the
   download fails or stops, says so and points to the fee table further down. */
(function () {
  "use strict";

  /* The page's other scripts (Material's bundle, portal.js) wait in a <template> until the
     calculator has answered or failed, or the patient touches the page: they would compete
     with Python's start for the processor, and on a slow network for bandwidth. */
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

  var form = document.getElementById("kalkylator");
  if (!form || !window.portalKalkylator) { startPageScripts(); return; }
  form.hidden = false;

  var FIELDS = ["region", "date", "age", "birth-date", "provider", "profession", "contact", "paid", "period-start", "frikort"];
  /* A birth date is personal data: it never goes into the address or a copied link (history,
     chat logs, server logs). The age on the visit date, from the last answer, goes instead. */
  var LINK_FIELDS = FIELDS.filter(function (name) { return name !== "birth-date"; });
  var lastAge = null;
  /* The watchdog: no new byte for STALL_MS while downloading, or no answer START_MS after
     everything has arrived (a slow phone starting Python), and the page says it is slow. A
     real network delivers bytes every fraction of a second, however slow it is. */
  var STALL_MS = 10000;
  var START_MS = 30000;
  /* What the status says while loading; it changes at these steps only, so that a screen
     reader is not interrupted at every percent. */
  var STEPS = [
    "Laddar kalkylatorn …",
    "Laddar kalkylatorn … En fjärdedel är klar.",
    "Laddar kalkylatorn … Hälften är klar.",
    "Laddar kalkylatorn … Tre fjärdedelar är klara.",
    "Laddar kalkylatorn … Nästan klar."
  ];

  var status = form.querySelector("[data-kalk-status]");
  var loading = form.querySelector("[data-kalk-loading]");
  var progress = loading.querySelector("progress");
  var regionLabel = form.querySelector('label[for="kalk-region"]');
  var result = document.getElementById("resultat");
  var state = window.portalKalkylator;
  var worker = state.worker;
  var ready = false;
  var failed = false;
  var stalled = false;
  var step = -1;
  var pending = null;
  var nextId = 0;
  var latestId = 0;
  var ordinaryTable;

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
      var value = "";
      if (element && element.type === "checkbox") {
        value = element.checked ? element.value : "";
      } else if (element) {
        value = String(element.value || "").trim();
      }
      if (value !== "") { request[name] = value; }
    });
    return request;
  }

  function fill(params) {
    FIELDS.forEach(function (name) {
      if (!params.has(name)) { return; }
      var element = field(name);
      if (element && element.type === "checkbox") {
        element.checked = params.get(name) === element.value;
      } else if (element) {
        element.value = params.get(name);
      }
    });
  }

  function linkFor(request) {
    var url = new URL(window.location.href);
    url.search = "";
    url.hash = "";
    var shown = Object.assign({}, request);
    if (shown["birth-date"] !== undefined && shown.age === undefined && lastAge !== null) {
      shown.age = String(lastAge);
    }
    LINK_FIELDS.forEach(function (name) {
      if (shown[name] !== undefined) { url.searchParams.set(name, shown[name]); }
    });
    return url.href;
  }

  /* Only the kinds of contact the chosen provider offers can be chosen. */
  function updateContacts() {
    var chosen = form.querySelector('input[name="provider"]:checked');
    var offered = chosen && chosen.getAttribute("data-contacts");
    var allowed = offered ? offered.split(" ") : null;
    var select = field("contact");
    Array.prototype.forEach.call(select.options, function (option) {
      var hide = allowed !== null && allowed.indexOf(option.value) === -1;
      option.hidden = hide;
      option.disabled = hide;
    });
    if (select.selectedOptions.length && select.selectedOptions[0].disabled) {
      var first = Array.prototype.find.call(select.options, function (option) { return !option.disabled; });
      if (first) { select.value = first.value; }
    }
  }

  /* The national clinic's fee depends on where the patient is registered, a vårdcentral's on
     the region it is in. */
  function updateRegionLabel() {
    var provider = field("provider");
    regionLabel.textContent = provider && provider.value === "nationell"
      ? "Region där du är folkbokförd" : "Region där vårdcentralen ligger";
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function clearErrors() {
    form.querySelectorAll("[data-error-for]").forEach(function (node) { node.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (node) { node.removeAttribute("aria-invalid"); });
  }

  function resetResult(resultState) {
    result.hidden = false;
    ["data-to-pay", "data-remaining", "data-fee", "data-error"].forEach(function (name) { result.removeAttribute(name); });
    result.setAttribute("data-state", resultState);
    result.textContent = "";
  }

  /* --- The ordinary fee, shown while Python loads ------------------------------------- */

  function ordinaryFees() {
    if (ordinaryTable === undefined) {
      var data = document.getElementById("kalk-avgifter");
      try { ordinaryTable = data ? JSON.parse(data.textContent) : null; } catch (error) { ordinaryTable = null; }
    }
    return ordinaryTable;
  }

  /* The precomputed fee for the request's keys on its date (the build's rows start on each
     date the data changes); undefined when the table has no answer. */
  function ordinaryFee(request) {
    var table = ordinaryFees();
    var date = request.date || localToday();
    if (!table || !/^\d{4}-\d{2}-\d{2}$/.test(date)) { return undefined; }
    var index = -1;
    table.dates.forEach(function (first, position) { if (first <= date) { index = position; } });
    var cell = [request.region, request.provider, request.profession, request.contact].reduce(function (node, key) {
      return node && Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
    }, table.fees);
    var fee = Array.isArray(cell) ? cell[index] : (index < 0 ? undefined : cell);
    return typeof fee === "number" ? { fee: fee, text: table.kronor[String(fee)] } : undefined;
  }

  function showPreliminary(request) {
    var ordinary = ordinaryFee(request);
    if (!ordinary) {
      resetResult("empty");
      result.hidden = true;
      return;
    }
    resetResult("preliminary");
    result.setAttribute("data-fee", String(ordinary.fee));
    result.appendChild(element("p", "kalk-result__label", "Preliminärt"));
    result.appendChild(element("h2", "kalk-result__title", "Ordinarie avgift: " + ordinary.text));
    result.appendChild(element("p", null,
      "Det här är den ordinarie avgiften för det du har valt, före åldersregler och högkostnadsskydd. " +
      "Vad du själv ska betala beror också på din ålder och på vad du redan har betalat under perioden. " +
      (failed ? "Kalkylatorn kunde inte räkna ut det den här gången."
              : "Det räknar kalkylatorn ut så snart den har laddats.")));
  }

  /* --- The full answer ------------------------------------------------------------------ */

  function showError(message, name) {
    var target = name && form.querySelector('[data-error-for="' + name + '"]');
    resetResult("error");
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

  /* Only an https address becomes a link; everything is set as text, never as markup. */
  function httpsUrl(value) {
    if (typeof value !== "string" || !/^https:\/\//i.test(value)) { return null; }
    try {
      var url = new URL(value);
      return url.protocol === "https:" ? url.href : null;
    } catch (error) { return null; }
  }

  function basis(items) {
    var section = element("div", "kalk-basis");
    section.appendChild(element("h3", null, "Det här bygger beräkningen på"));
    var list = element("ul");
    items.forEach(function (item) {
      if (!item || typeof item !== "object") { return; }
      var entry = element("li");
      entry.appendChild(document.createTextNode(String(item.what) + ": " + String(item.value) + ". Källa: "));
      var href = httpsUrl(item.url);
      if (href) {
        var link = element("a", null, String(item.source));
        link.href = href;
        entry.appendChild(link);
      } else {
        entry.appendChild(document.createTextNode(String(item.source)));
      }
      var details = [];
      if (item.source_date) { details.push("källans datum " + String(item.source_date)); }
      if (item.valid_from) { details.push("gäller från " + String(item.valid_from)); }
      if (item.checked) { details.push("kontrollerad " + String(item.checked)); }
      if (item.status_text) { details.push(String(item.status_text)); }
      entry.appendChild(document.createTextNode(details.length ? " (" + details.join("; ") + ")." : "."));
      list.appendChild(entry);
    });
    section.appendChild(list);
    return section;
  }

  function showResult(data) {
    resetResult("final");
    result.setAttribute("data-to-pay", String(data.to_pay));
    result.setAttribute("data-remaining", String(data.remaining));
    if (data.fee !== null) { result.setAttribute("data-fee", String(data.fee)); }  /* unknown: no number */
    if (typeof data.age === "number") {
      lastAge = data.age;
      history.replaceState(null, "", linkFor(values()));
    }
    /* The answer in words comes from Python ("troligen" where the data is old or unconfirmed,
       dates as the pages write them); the page adds no wording of its own. */
    var summary = Array.isArray(data.summary) && data.summary.length ? data.summary
      : ["Du betalar " + data.kronor.to_pay + " för besöket."];
    result.appendChild(element("h2", "kalk-result__title", summary[0]));
    summary.slice(1).forEach(function (line) { result.appendChild(element("p", null, line)); });
    result.appendChild(bar(data));
    var notes = element("ul", "kalk-notes");
    data.notes.forEach(function (note) { notes.appendChild(element("li", null, note)); });
    result.appendChild(notes);
    if (Array.isArray(data.basis) && data.basis.length) {
      result.appendChild(basis(data.basis));
    }
    var sources = element("details", "kalk-sources");
    sources.appendChild(element("summary", null, "Källor"));
    var list = element("ul");
    data.sources.forEach(function (source) { list.appendChild(element("li", null, source)); });
    sources.appendChild(list);
    result.appendChild(sources);
  }

  /* --- Loading: progress, status and the watchdog --------------------------------------- */

  function setLoadingState(name) { form.setAttribute("data-kalk-state", name); }

  /* A status that points to the table of all regions' fees, further down the page. */
  function statusWithTable(before, after) {
    status.textContent = "";
    status.appendChild(document.createTextNode(before));
    var link = element("a", null, "tabellen med avgifter i alla regioner");
    link.href = "#alla-regioner";
    status.appendChild(link);
    status.appendChild(document.createTextNode(after));
  }

  function preliminaryShown() { return result.getAttribute("data-state") === "preliminary"; }

  function loadingText() {
    return STEPS[Math.max(step, 0)] + (pending ? " Sedan visas hela svaret nedanför." : "");
  }

  function showProgress(fraction) {
    var percent = Math.max(0, Math.min(100, Math.floor(fraction * 100)));
    progress.value = percent;
    progress.textContent = percent + " %";
    var reached = fraction >= 1 ? 4 : Math.floor(fraction * 4);
    if (reached > step && !stalled && !failed && !ready) {
      step = reached;
      status.textContent = loadingText();
    }
  }

  function stall() {
    stalled = true;
    setLoadingState("stalled");
    statusWithTable("Det tar längre tid än vanligt att ladda kalkylatorn. Vi fortsätter att försöka. " +
      (preliminaryShown() ? "Avgiften nedan är den ordinarie avgiften, före åldersregler och högkostnadsskydd. " : "") +
      "Du hittar också avgifterna i ", " längre ner på sidan.");
    startPageScripts();
  }

  function resume() {
    stalled = false;
    setLoadingState("loading");
    status.textContent = loadingText();
  }

  function broken() {
    if (failed || ready) { return; }
    failed = true;
    stalled = false;
    pending = null;
    setLoadingState("failed");
    loading.hidden = true;
    var preliminary = preliminaryShown();
    if (preliminary) { showPreliminary(values()); }
    statusWithTable("Kalkylatorn kunde inte laddas. " +
      (preliminary ? "Avgiften nedan är den ordinarie avgiften, före åldersregler och högkostnadsskydd. " : "") +
      "Avgifterna i alla regioner finns i ", " längre ner på sidan. Du kan också ladda om sidan och försöka igen.");
    startPageScripts();
  }

  var watchdog = setInterval(function () {
    if (ready || failed) { clearInterval(watchdog); return; }
    var quiet = performance.now() - state.lastProgress;
    if (!stalled && quiet > (state.progress >= 1 ? START_MS : STALL_MS)) { stall(); }
  }, 1000);

  /* The worker was started from the page's <head> (kalkylator.html); it may be ready already. */
  function started() {
    if (ready) { return; }
    ready = true;
    stalled = false;
    setLoadingState("ready");
    loading.hidden = true;
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
    snapshotWorker.postMessage({ type: "snapshot", pyodideUrl: state.pyodideUrl, stdlibUrl: state.stdlibUrl, lock: state.init.lock });
  }

  if (worker) {
    worker.addEventListener("message", function (event) {
      var message = event.data;
      if (message.type === "progress") {
        if (stalled) { resume(); }
        showProgress(message.fraction);
      } else if (message.type === "ready") {
        started();
      } else if (message.type === "failed") {
        if (ready) {
          showError("Kalkylatorn kunde inte räkna ut svaret. Ladda om sidan och försök igen.");
        } else {
          broken();
        }
      } else if (message.type === "result" && message.id === latestId) {
        var data = message.data;
        if (data.error) { showError(data.error, data.field); } else { showResult(data); }
        startPageScripts();
      }
    });
    worker.addEventListener("error", function () { if (!ready) { broken(); } });
  }

  function send(request) {
    latestId = ++nextId;
    worker.postMessage({ type: "calculate", id: latestId, request: JSON.stringify(request), today: localToday() });
  }

  function compute() {
    clearErrors();
    var request = values();
    history.replaceState(null, "", linkFor(request));
    if (ready) {
      send(request);
      return;
    }
    showPreliminary(request);
    if (!failed) {
      pending = request;
      if (!stalled) { status.textContent = loadingText(); }
    }
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); compute(); });
  form.addEventListener("change", function (event) {
    if (event.target.name === "provider") { updateRegionLabel(); updateContacts(); }
  });

  var copyButton = form.querySelector("[data-kalk-copy]");
  var copyStatus = copyButton.parentElement.querySelector(".portal-copy__status");
  copyButton.addEventListener("click", function () {
    var url = linkFor(values());
    var done = function () { copyStatus.textContent = "Länken till beräkningen är kopierad."; };
    var failedCopy = function () { copyStatus.textContent = "Det gick inte att kopiera. Adressen är " + url; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(done, failedCopy);
    } else { failedCopy(); }
  });

  setLoadingState("loading");
  showProgress(state.progress);
  var params = new URLSearchParams(window.location.search);
  fill(params);
  updateRegionLabel();
  updateContacts();
  if (FIELDS.some(function (name) { return params.has(name); })) { compute(); }
  if (state.ready) { started(); } else if (state.failed) { broken(); }

})();
