// Add a row to a Django formset: <div data-formset="prefix"> holds the rows,
// <template data-formset-empty="prefix"> the empty form, <button data-formset-add="prefix">.
// Without JavaScript the page already offers blank rows; this only adds more.
(function () {
  "use strict";
  document.querySelectorAll("[data-formset-add]").forEach(function (button) {
    var prefix = button.dataset.formsetAdd;
    var container = document.querySelector('[data-formset="' + prefix + '"]');
    var template = document.querySelector('[data-formset-empty="' + prefix + '"]');
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    if (!container || !template || !total) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var wrapper = document.createElement("div");
      wrapper.innerHTML = html.trim();
      var row = wrapper.firstElementChild;
      container.appendChild(row);
      total.value = String(index + 1);
      var first = row.querySelector("select, input:not([type=hidden]), textarea");
      if (first) { first.focus(); }
    });
  });
})();
