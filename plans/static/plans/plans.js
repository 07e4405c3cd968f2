// Item forms: the "postponed to" month only matters for a postponed item, so it is shown only then.
(function () {
  "use strict";

  function sync(form) {
    var status = form.querySelector("[name=status]");
    var target = form.querySelector("[name=postponed_to]");
    if (!status || !target) {
      return;
    }
    var wrapper = target.closest(".mb-3") || target;
    wrapper.hidden = status.value !== "postponed";
  }

  document.querySelectorAll("form").forEach(sync);
  document.addEventListener("change", function (event) {
    if (event.target.name === "status" && event.target.form) {
      sync(event.target.form);
    }
  });
})();
