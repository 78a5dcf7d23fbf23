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

  setUpCopyButtons();
  setUpSearchButtons();
})();
