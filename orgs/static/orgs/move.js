// Picking a suggested unit fills its code into the target field.
document.addEventListener("click", function (event) {
  var pick = event.target.closest("[data-pick-code]");
  if (pick) {
    document.getElementById("id_target").value = pick.getAttribute("data-pick-code");
    document.getElementById("move-targets").innerHTML = "";
  }
});
