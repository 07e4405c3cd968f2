// The call form's year follows its kind: a plan call asks for next year's plan from October, a summary
// call for the year now ending (CallKind.default_year). A year the officer typed is left as it is.
(function () {
  "use strict";
  var kind = document.querySelector("select[data-default-years]");
  var year = kind && kind.form.elements.namedItem("year");
  if (!year) return;
  var years = JSON.parse(kind.getAttribute("data-default-years"));
  var shown = kind.value;
  kind.addEventListener("change", function () {
    if (String(year.value) === String(years[shown]) && years[kind.value] !== undefined) {
      year.value = years[kind.value];
    }
    shown = kind.value;
  });
})();
