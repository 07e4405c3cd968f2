// Check-in by QR code with the phone's camera, for every page that checks people in (activities'
// roll-call, a congress session's representatives). The page configures it on #qr-reader:
//   data-checkin-url   the check-in URL with TOKEN in place of the code's token
//   data-code-path     the path a code of this kind carries ("/activities/code/")
//   data-post-name / data-post-value   what the check-in POST names (activity=12)
//   data-count-id / data-count-key     the counter to update, from that key of the JSON answer
//   data-row-prefix / data-row-key     the row to mark: id prefix + that key of the JSON answer
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
  var pending = false;

  // ok: true (green), false (red) or null (grey, while the check-in is on its way).
  function show(ok, message) {
    result.textContent = message;
    result.classList.remove("d-none", "alert-success", "alert-danger", "alert-secondary");
    result.classList.add(ok === null ? "alert-secondary" : ok ? "alert-success" : "alert-danger");
  }

  var config = reader.dataset;
  var codePath = config.codePath.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&");
  var codePattern = new RegExp(codePath + "([A-Za-z0-9_-]{10,40})\\/?$");

  // A code holds the URL of its check-in page; only its token is used, so a code printed
  // for another server or another system is refused rather than followed.
  function tokenOf(text) {
    var match = codePattern.exec(text.trim());
    return match ? match[1] : null;
  }

  // The row's toggle (a roll-call tick) shows itself pressed; a row without one gets a badge.
  function markRow(id) {
    var row = document.getElementById(config.rowPrefix + id);
    if (!row) return;
    var toggle = row.querySelector("[aria-pressed]");
    if (toggle) {
      toggle.classList.remove("btn-outline-secondary");
      toggle.classList.add("btn-success");
      toggle.setAttribute("aria-pressed", "true");
      toggle.innerHTML = '<i class="bi bi-check-square-fill"></i> ' + texts.checked;
      return;
    }
    var badge = document.createElement("span");
    badge.className = "badge text-bg-success";
    badge.textContent = texts.checked;
    row.replaceChild(badge, row.lastElementChild);
  }

  function onScan(text) {
    reader.dataset.reads = (Number(reader.dataset.reads) || 0) + 1;
    var token = tokenOf(text);
    // One check-in at a time; the same code still in view is read again only 3 s after its answer.
    if (pending || (token && token === lastToken && Date.now() - lastAt < 3000)) return;
    lastToken = token;
    lastAt = Date.now();
    if (!token) {
      show(false, texts.not_ours);
      return;
    }
    // At the door the network may be a weak phone signal: a check-in that has not answered in
    // 15 s is given up and said so, rather than leaving the officer looking at nothing.
    var abort = new AbortController();
    var timer = setTimeout(function () {
      abort.abort();
    }, 15000);
    pending = true;
    show(null, texts.checking);
    fetch(urlTemplate.replace("TOKEN", token), {
      method: "POST",
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      body: new URLSearchParams([[config.postName, config.postValue]]),
      credentials: "same-origin",
      signal: abort.signal,
    })
      .then(function (response) {
        if (response.status === 404) return { ok: false, message: texts.unknown };
        return response.json();
      })
      .then(function (data) {
        show(data.ok, data.message);
        if (data.ok) {
          document.getElementById(config.countId).textContent = data[config.countKey];
          markRow(data[config.rowKey]);
          if (navigator.vibrate) navigator.vibrate(80);
        }
      })
      .catch(function () {
        show(false, texts.network);
      })
      .finally(function () {
        clearTimeout(timer);
        pending = false;
        lastAt = Date.now();
      });
  }

  // Frames looked at without finding a code, on the reader's data-misses (codes read: data-reads): a
  // scanner that aims at a code and never reads it can then be told from one that stopped looking.
  function countMiss() {
    reader.dataset.misses = (Number(reader.dataset.misses) || 0) + 1;
  }

  startButton.addEventListener("click", function () {
    if (scanner) {
      scanner.stop().then(function () {
        scanner = null;
        startButton.textContent = texts.start;
      });
      return;
    }
    // QR codes only: ZXing otherwise runs every 1D barcode reader first on each frame, which costs
    // the phone's CPU and can read a QR code's stripes as a barcode ("not our code").
    scanner = new Html5Qrcode("qr-reader", { formatsToSupport: [Html5QrcodeSupportedFormats.QR_CODE], verbose: false });
    // disableFlip: the library's retry of an unread frame "mirrored" decodes the same pixels again and
    // draws the next frame mirrored, so only every other frame would be read the way the camera sees it.
    var options = { fps: 10, qrbox: { width: 240, height: 240 }, disableFlip: true };
    scanner
      .start({ facingMode: "environment" }, options, onScan, countMiss)
      .then(function () {
        startButton.textContent = texts.stop;
        // The camera's view opens above the button, on a phone often above the screen's top edge
        // (a congress session's roll is far down its page): bring it into sight to aim with.
        reader.scrollIntoView({ block: "center" });
      })
      .catch(function () {
        scanner = null;
        show(false, texts.camera_error);
      });
  });
})();
