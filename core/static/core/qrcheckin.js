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

  // The camera: the phone's back camera shown in the reader, and ten times a second the square in the
  // middle of its picture (where the frame on screen is) read by jsQR at the camera's own resolution,
  // at most READ_SIDE pixels a side (a phone's 1080p picture would cost four times as long to read).
  // jsQR rather than html5-qrcode's ZXing: ZXing missed about 1 valid check-in code in 20 in one
  // picture, jsQR none of the same 400 codes, in a few milliseconds a frame.
  var READ_SIDE = 640;
  var video = null;
  var aim = null;
  var stream = null;
  var starting = false; // waiting for the camera (and the person's permission): taps wait too
  var nextRead = null;
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  canvas.hidden = true;

  function readFrame() {
    if (video.readyState >= 2 && video.videoWidth) {
      var side = Math.min(video.videoWidth, video.videoHeight);
      var size = Math.min(side, READ_SIDE);
      canvas.width = canvas.height = size;
      context.drawImage(video, (video.videoWidth - side) / 2, (video.videoHeight - side) / 2, side, side, 0, 0, size, size);
      var code = jsQR(context.getImageData(0, 0, size, size).data, size, size, { inversionAttempts: "dontInvert" });
      if (code) onScan(code.data);
      else countMiss();
    }
    nextRead = setTimeout(readFrame, 100);
  }

  function stop() {
    clearTimeout(nextRead);
    nextRead = null;
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = video = aim = null;
    reader.replaceChildren();
    reader.classList.remove("qr-reader-on");
    label("bi-camera", texts.start);
  }

  function label(icon, text) {
    // The button's icon and words together: setting its text alone dropped the icon.
    var mark = document.createElement("i");
    mark.className = "bi " + icon;
    mark.setAttribute("aria-hidden", "true");
    startButton.replaceChildren(mark, " " + text);
  }

  function start() {
    // Browsers give the camera to secure pages only (HTTPS, or localhost).
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      show(false, texts.camera_error);
      return;
    }
    starting = true;
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (camera) {
        stream = camera;
        video = document.createElement("video");
        video.muted = true;
        video.playsInline = true;
        video.setAttribute("aria-hidden", "true");
        video.srcObject = camera;
        aim = document.createElement("div");
        aim.className = "qr-aim";
        reader.replaceChildren(video, aim, canvas);
        reader.classList.add("qr-reader-on");
        return video.play();
      })
      .then(function () {
        starting = false;
        // The frame on screen marks the square that is read, whether the picture is wide or (on many
        // phones) tall: as percentages of the reader, which is the picture's shape.
        var side = Math.min(video.videoWidth, video.videoHeight) * 0.96;
        aim.style.width = (100 * side) / video.videoWidth + "%";
        aim.style.height = (100 * side) / video.videoHeight + "%";
        label("bi-stop-circle", texts.stop);
        // The camera's view opens above the button, on a phone often above the screen's top edge
        // (a congress session's roll is far down its page): bring it into sight to aim with.
        reader.scrollIntoView({ block: "center" });
        readFrame();
      })
      .catch(function () {
        starting = false;
        stop();
        show(false, texts.camera_error);
      });
  }

  startButton.addEventListener("click", function () {
    if (starting) return;
    if (stream) stop();
    else start();
  });
})();
