// The check-in page (events/checkin.py): each "Présent", "Annuler" or code is one small POST.
// A POST the network loses waits in a queue (kept in localStorage, shown as « en attente
// d'envoi ») and is sent again; the server takes a check-in twice without harm.
(function () {
  "use strict";
  var root = document.getElementById("pointage");
  if (!root || !root.dataset.presentUrl) {
    return;
  }
  var KEY = "pointage:" + location.pathname;
  var RETRY_MS = 4000;
  var messages = document.getElementById("messages");
  var pending = document.getElementById("file-attente");
  var counter = root.querySelector("[data-present]");
  var queue = [];
  var sending = false;
  var timer = null;

  try {
    queue = JSON.parse(localStorage.getItem(KEY) || "[]") || [];
  } catch (error) {
    queue = [];
  }

  function save() {
    try {
      localStorage.setItem(KEY, JSON.stringify(queue));
    } catch (error) {
      // Private browsing: the queue still lives in memory.
    }
  }

  function say(text, tone) {
    var line = document.createElement("p");
    line.className = "message " + (tone || "success");
    line.textContent = text;
    messages.replaceChildren(line);
  }

  function showPending() {
    if (queue.length) {
      pending.hidden = false;
      pending.textContent =
        queue.length === 1
          ? "1 pointage en attente d'envoi : nouvel essai dans quelques secondes."
          : queue.length + " pointages en attente d'envoi : nouvel essai dans quelques secondes.";
    } else {
      pending.hidden = true;
      pending.textContent = "";
    }
    root.querySelectorAll(".people li[data-registration]").forEach(function (row) {
      var waiting = queue.some(function (item) {
        return item.registration === row.dataset.registration;
      });
      row.classList.toggle("waiting", waiting);
      if (waiting) {
        row.querySelector("[data-state]").textContent = "En attente d'envoi…";
      }
    });
  }

  function updateRow(data) {
    var row = root.querySelector('.people li[data-registration="' + data.registration + '"]');
    if (!row) {
      return;
    }
    var present = data.state === "created" || data.state === "already";
    row.querySelector("[data-state]").textContent = present ? "Présent·e à " + data.at : "";
    row.querySelector('form[data-action="present"]').hidden = present;
    row.querySelector('form[data-action="undo"]').hidden = !present;
  }

  function schedule() {
    if (!timer) {
      timer = setTimeout(function () {
        timer = null;
        flush();
      }, RETRY_MS);
    }
  }

  function flush() {
    if (sending || !queue.length) {
      showPending();
      return;
    }
    sending = true;
    var item = queue[0];
    // The page's own token: one kept from before a new login would be refused.
    var body = Object.assign({}, item.body);
    var token = root.querySelector('[name="csrfmiddlewaretoken"]');
    if (token) {
      body.csrfmiddlewaretoken = token.value;
    }
    fetch(item.url, {
      method: "POST",
      body: new URLSearchParams(body),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.status >= 500) {
          throw new Error("server " + response.status);
        }
        if (type.indexOf("application/json") === -1) {
          // The login page, or a refusal: the session ended. Kept until it is back.
          var error = new Error("session");
          error.session = true;
          throw error;
        }
        return response.json();
      })
      .then(function (data) {
        queue.shift();
        save();
        sending = false;
        say(data.message, data.ok ? "success" : "error");
        if (data.ok && data.registration) {
          updateRow(data);
        }
        if (data.ok && typeof data.present === "number" && counter) {
          counter.textContent = data.present;
          root.querySelector("[data-present-word]").textContent =
            data.present > 1 ? "présent·es" : "présent·e";
        }
        flush();
      })
      .catch(function (error) {
        sending = false;
        if (error && error.session) {
          say(
            "Votre session a pris fin : reconnectez-vous (dans un autre onglet), les pointages en attente partiront ensuite.",
            "error"
          );
        }
        showPending();
        schedule();
      });
  }

  function enqueue(form, extra) {
    var body = {};
    new FormData(form).forEach(function (value, name) {
      body[name] = value;
    });
    Object.assign(body, extra || {});
    queue.push({ url: form.action, body: body, registration: body.registration || "" });
    save();
    showPending();
    flush();
  }

  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.method.toLowerCase() !== "post" || !form.action) {
      return;
    }
    if (form.querySelector('[name="csrfmiddlewaretoken"]') === null) {
      return;
    }
    event.preventDefault();
    enqueue(form);
    if (form.id === "form-code") {
      form.reset();
      form.querySelector("#code").focus();
    }
  });

  // A scanned value: the camera's, or one a test injects (window.checkinScan).
  var codeForm = document.getElementById("form-code");
  var lastCode = "";
  var lastAt = 0;
  function scanned(value) {
    var now = Date.now();
    if (!value || (value === lastCode && now - lastAt < 3000)) {
      return;
    }
    lastCode = value;
    lastAt = now;
    enqueue(codeForm, { code: value });
  }
  window.checkinScan = scanned;

  var button = document.getElementById("scanner");
  var video = document.getElementById("camera");
  var unavailable = document.getElementById("scanner-indisponible");
  var stream = null;
  if ("BarcodeDetector" in window && navigator.mediaDevices) {
    button.hidden = false;
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    var detect = function () {
      if (!stream) {
        return;
      }
      detector
        .detect(video)
        .then(function (codes) {
          if (codes.length) {
            scanned(codes[0].rawValue);
          }
        })
        .catch(function () {})
        .then(function () {
          setTimeout(detect, 300);
        });
    };
    button.addEventListener("click", function () {
      if (stream) {
        stream.getTracks().forEach(function (track) {
          track.stop();
        });
        stream = null;
        video.hidden = true;
        button.textContent = "Scanner";
        return;
      }
      navigator.mediaDevices
        .getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          video.hidden = false;
          button.textContent = "Arrêter le scanner";
          return video.play();
        })
        .then(detect)
        .catch(function () {
          say("La caméra n'est pas accessible : saisissez le code ou cherchez par nom.", "error");
        });
    });
  } else {
    unavailable.hidden = false;
  }

  window.addEventListener("online", flush);
  showPending();
  flush();
})();
