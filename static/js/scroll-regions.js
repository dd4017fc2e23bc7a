// Lev: a table or code block that scrolls sideways (on a phone, mostly) gets a tab stop, so
// that keyboard users can scroll it too (WCAG 2.1.1, axe "scrollable-region-focusable").
// A table's caption names the region. Blocks that fit get no extra tab stop. No inline
// scripts (CSP); loaded from base.html.
(function () {
  "use strict";
  var MARK = "levScrollRegion";
  function update() {
    document.querySelectorAll(".table-responsive, pre").forEach(function (el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.dataset[MARK] = "1";
        el.setAttribute("tabindex", "0");
        var caption = el.querySelector("caption");
        if (caption && caption.textContent.trim() && !el.hasAttribute("aria-label")) {
          el.setAttribute("role", "region");
          el.setAttribute("aria-label", caption.textContent.trim());
        }
      } else if (!scrolls && el.dataset[MARK] === "1") {
        ["tabindex", "role", "aria-label"].forEach(function (a) { el.removeAttribute(a); });
        delete el.dataset[MARK];
      }
    });
  }
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 150);
  });
  update();
})();
