// The unit picker (orgs/picker.py): the search box lists suggestions (htmx); picking one puts its pk in
// the hidden input that the form posts. Typing clears the pick, so a half-typed name is never submitted
// as the unit chosen before.
(function () {
  "use strict";

  function parts(element) {
    var picker = element.closest && element.closest("[data-unit-picker]");
    if (!picker) return null;
    return {
      picker: picker,
      value: picker.querySelector("[data-unit-picker-value]"),
      box: picker.querySelector("[data-unit-picker-search]"),
      results: picker.querySelector("[aria-live]"),
    };
  }

  function close(p) {
    p.results.innerHTML = "";
  }

  // Focus handed back to the box after a pick or Escape must not open the list again.
  var quiet = null;

  function refocus(p) {
    quiet = p.box;
    p.box.focus();
    quiet = null;
  }

  function isBox(element) {
    return element.matches && element.matches("[data-unit-picker-search]");
  }

  // The box has no name (the form posts only the pk): its text goes to the search as q. Focusing a box
  // that shows a chosen unit leaves the list closed; typing opens it.
  document.addEventListener("htmx:configRequest", function (event) {
    var box = event.detail.elt;
    if (!isBox(box)) return;
    var trigger = event.detail.triggeringEvent;
    if (trigger && trigger.type === "focus" && (quiet === box || parts(box).value.value)) {
      event.preventDefault();
      return;
    }
    event.detail.parameters.q = box.value;
  });

  // An answer that arrives after a pick belongs to the typing before it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (isBox(event.detail.elt) && parts(event.detail.elt).value.value) event.detail.shouldSwap = false;
  });

  document.addEventListener("input", function (event) {
    if (isBox(event.target)) parts(event.target).value.value = "";
  });

  document.addEventListener("click", function (event) {
    var pick = event.target.closest("[data-unit-pick]");
    var p = pick && parts(pick);
    if (p) {
      p.value.value = pick.getAttribute("data-unit-pick");
      p.box.value = pick.getAttribute("data-unit-name");
      p.box.classList.remove("is-invalid");
      close(p);
      refocus(p);
      return;
    }
    document.querySelectorAll("[data-unit-picker]").forEach(function (picker) {
      if (!picker.contains(event.target)) close(parts(picker));
    });
  });

  // Keyboard: Tab or the arrows reach the suggestions, Enter picks one, Escape closes the list.
  document.addEventListener("keydown", function (event) {
    var p = parts(event.target);
    if (!p) return;
    var buttons = Array.prototype.slice.call(p.results.querySelectorAll("[data-unit-pick]"));
    var at = buttons.indexOf(event.target);
    if (event.key === "Escape" && p.results.childElementCount) {
      close(p);
      refocus(p);
    } else if (event.key === "ArrowDown" && buttons.length) {
      buttons[Math.min(at + 1, buttons.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      if (at > 0) buttons[at - 1].focus();
      else refocus(p);
    } else {
      return;
    }
    event.preventDefault();
  });

  // Leaving the picker by keyboard closes its list.
  document.addEventListener("focusout", function (event) {
    var p = parts(event.target);
    if (p && event.relatedTarget && !p.picker.contains(event.relatedTarget)) close(p);
  });
})();
