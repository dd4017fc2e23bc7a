// Lev: small progressive enhancements. No inline scripts (CSP).
(function () {
  "use strict";
  // Buttons that submit a form once: a double click on "sign" or "submit" acts once.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitted === "1") { event.preventDefault(); return; }
    form.dataset.submitted = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
  });
  // Confirmation prompts: <form data-confirm="...">.
  document.addEventListener("submit", function (event) {
    var msg = event.target.dataset.confirm;
    if (msg && !window.confirm(msg)) { event.preventDefault(); event.target.dataset.submitted = ""; }
  }, true);
  // Polling for long work (PDF rendering): <div data-poll-url="..." data-poll-interval="2000">.
  document.querySelectorAll("[data-poll-url]").forEach(function (el) {
    var interval = parseInt(el.dataset.pollInterval || "2000", 10);
    var tick = function () {
      fetch(el.dataset.pollUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (data.ready) { window.location.reload(); } else { setTimeout(tick, interval); }
        })
        .catch(function () { setTimeout(tick, interval * 2); });
    };
    setTimeout(tick, interval);
  });
})();
