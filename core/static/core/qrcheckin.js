// The check-in page: scan members' QR codes with the phone's camera and check them in.
// Loaded as a static file (the CSP forbids inline scripts); texts come from #scan-messages.
(function () {
  "use strict";
  var reader = document.getElementById("qr-reader");
  var startButton = document.getElementById("scan-start");
  var result = document.getElementById("scan-result");
  if (!reader || !startButton) return;
  var texts = JSON.parse(document.getElementById("scan-messages").textContent);
  var urlTemplate = reader.getAttribute("data-checkin-url");
  var csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  var scanner = null;
  var lastToken = null;
  var lastAt = 0;

  function show(ok, message) {
    result.textContent = message;
    result.classList.remove("d-none", "alert-success", "alert-danger");
    result.classList.add(ok ? "alert-success" : "alert-danger");
  }

  // A code holds the URL of its check-in page; only its token is used, so a code printed
  // for another server or another system is refused rather than followed.
  function tokenOf(text) {
    var match = /\/activities\/code\/([A-Za-z0-9_-]{10,40})\/?$/.exec(text.trim());
    return match ? match[1] : null;
  }

  function markRow(registrationId) {
    var button = document.querySelector("#roll-" + registrationId + " [data-testid=tick]");
    if (!button) return;
    button.classList.remove("btn-outline-secondary");
    button.classList.add("btn-success");
    button.setAttribute("aria-pressed", "true");
    button.innerHTML = '<i class="bi bi-check-square-fill"></i> ' + texts.checked;
  }

  function onScan(text) {
    var token = tokenOf(text);
    var now = Date.now();
    if (token && token === lastToken && now - lastAt < 3000) return; // the same code still in view
    lastToken = token;
    lastAt = now;
    if (!token) {
      show(false, texts.not_ours);
      return;
    }
    fetch(urlTemplate.replace("TOKEN", token), {
      method: "POST",
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      body: new URLSearchParams({ activity: reader.getAttribute("data-activity") }),
      credentials: "same-origin",
    })
      .then(function (response) {
        if (response.status === 404) return { ok: false, message: texts.unknown };
        return response.json();
      })
      .then(function (data) {
        show(data.ok, data.message);
        if (data.ok) {
          document.getElementById("attended-count").textContent = data.attended;
          markRow(data.registration);
          if (navigator.vibrate) navigator.vibrate(80);
        }
      })
      .catch(function () {
        show(false, texts.network);
      });
  }

  startButton.addEventListener("click", function () {
    if (scanner) {
      scanner.stop().then(function () {
        scanner = null;
        startButton.textContent = texts.start;
      });
      return;
    }
    scanner = new Html5Qrcode("qr-reader");
    scanner
      .start({ facingMode: "environment" }, { fps: 10, qrbox: { width: 240, height: 240 } }, onScan, function () {})
      .then(function () {
        startButton.textContent = texts.stop;
      })
      .catch(function () {
        scanner = null;
        show(false, texts.camera_error);
      });
  });
})();
