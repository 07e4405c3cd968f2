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

  // Keyboard users keep their place when htmx replaces the part of the page that held the focus
  // (a roll-call row, a plan item): the focus returns to the same control in the new markup.
  var focusBeforeSwap = null;
  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    if (!active || active === document.body) {
      focusBeforeSwap = null;
      return;
    }
    var holder = active.closest("[id]");
    focusBeforeSwap = holder ? { id: holder.id, testid: active.getAttribute("data-testid"), self: active.id === holder.id } : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    var remembered = focusBeforeSwap;
    focusBeforeSwap = null;
    if (!remembered || (document.activeElement && document.activeElement !== document.body)) return;
    var holder = document.getElementById(remembered.id);
    if (!holder) return;
    var target = remembered.self ? holder : null;
    if (!target && remembered.testid) target = holder.querySelector('[data-testid="' + remembered.testid + '"]');
    if (!target) target = holder.querySelector("a[href], button, input, select, textarea, [tabindex]");
    if (target) target.focus();
  });

  // A form shown again with its errors: the focus goes to the list of what to fix at its top (on a phone
  // the first error may be a screen below), whose links lead to each field.
  function focusErrorSummary(root) {
    var summary = root.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }
  focusErrorSummary(document);
  // A form posted to an address with a fragment (…/close/#close): going to the fragment after parsing
  // moves the focus to the page itself, so it is given back to the list once the page has loaded.
  window.addEventListener("load", function () {
    focusErrorSummary(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    focusErrorSummary(event.detail.elt);
  });

  // A status that htmx swaps into the page (a job's progress, "本次查看已记录"): a live region swapped in
  // with its words is often not read, so they are copied into the region that stays in the page
  // (base.html, #gh-announcer), once each time they change. A status still under way (aria-busy) waits.
  var lastAnnounced = "";
  document.addEventListener("htmx:afterSettle", function (event) {
    var announcer = document.getElementById("gh-announcer");
    var root = event.detail.elt;
    if (!announcer || !root || !root.querySelectorAll) return;
    var selector = '[role="status"], [role="alert"]';
    var found = Array.prototype.slice.call(root.querySelectorAll(selector));
    if (root.matches(selector)) found.unshift(root);
    var said = found.filter(function (element) {
      return element !== announcer && !element.closest('[aria-busy="true"]');
    }).map(function (element) {
      return element.textContent.replace(/\s+/g, " ").trim();
    }).filter(Boolean).join(" ");
    if (said && said !== lastAnnounced) announcer.textContent = said;
    lastAnnounced = said;
  });

  // Stacked tables on phones: each cell is labelled with its column's header.
  function labelStackedCells(root) {
    root.querySelectorAll("table.table-responsive-stack").forEach(function (table) {
      var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (headers[index] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", headers[index]);
        });
      });
    });
  }
  labelStackedCells(document);
  document.addEventListener("htmx:afterSettle", function (event) {
    labelStackedCells(event.detail.elt.closest("table") ? event.detail.elt.closest("table").parentNode : document);
  });
})();
