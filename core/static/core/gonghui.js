// Small behaviours shared by every page. No inline scripts: the CSP allows only our files.
(function () {
  "use strict";

  // Buttons and links marked data-confirm ask before acting (deletes have their own pages).
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  // Selects marked data-autosubmit submit their form on change (filters, switchers).
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) {
      event.target.form.requestSubmit();
    }
  });

  // Tree toggles: the first click loads the children (htmx); later clicks fold and unfold.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var toggle = event.detail.elt;
    if (!toggle.matches || !toggle.matches("[data-tree-toggle]")) {
      return;
    }
    var subtree = toggle.parentElement.querySelector(":scope > .subtree");
    var open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", open ? "false" : "true");
    if (subtree && subtree.childElementCount > 0) {
      subtree.hidden = open;
      event.preventDefault();
    }
  });
})();
