/*
 * The monthly attestation grid in chunks, with a progress bar. Without this script the
 * form posts every row at once (all or nothing). With it: every chunk is first only
 * checked (nothing is stored), then, if no row was refused, saved chunk by chunk.
 * No inline script: the CSP forbids it.
 */
(function () {
  "use strict";

  var form = document.getElementById("griglia-attestazioni");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var size = parseInt(form.getAttribute("data-chunk"), 10) || 100;
  var url = form.getAttribute("data-chunk-url");
  var box = document.getElementById("avanzamento");
  var bar = document.getElementById("barra-avanzamento");
  var text = document.getElementById("testo-avanzamento");

  /* The visible texts come from the form's data-text-* attributes (translated in grid.pt). */
  function say(name, done, total) {
    return (form.getAttribute("data-text-" + name) || "")
      .replace("{done}", String(done)).replace("{total}", String(total));
  }

  function chunks() {
    var uids = Array.prototype.map.call(form.querySelectorAll("input[name='riga']"),
                                        function (input) { return input.value; });
    var found = [];
    for (var i = 0; i < uids.length; i += size) {
      found.push(uids.slice(i, i + size));
    }
    return found;
  }

  function body(uids, checkOnly) {
    var data = new FormData();
    data.append("csrf_token", form.elements.csrf_token.value);
    data.append("mese", form.getAttribute("data-month"));
    if (checkOnly) {
      data.append("verifica", "1");
    }
    uids.forEach(function (uid) {
      data.append("riga", uid);
      Array.prototype.forEach.call(form.querySelectorAll("[name^='" + uid + ".']"), function (el) {
        if (el.type !== "checkbox" || el.checked) {
          data.append(el.name, el.value);
        }
      });
    });
    return data;
  }

  function post(uids, checkOnly) {
    return fetch(url, {method: "POST", body: body(uids, checkOnly), credentials: "same-origin",
                       headers: {"Accept": "application/json", "X-CSRF-Token": form.elements.csrf_token.value}})
      .then(function (response) {
        return response.json().then(function (json) {
          return {ok: response.ok, json: json};
        });
      });
  }

  function show(done, total, message) {
    box.classList.remove("d-none");
    bar.max = total;
    bar.value = done;
    text.textContent = message || say("saved", done, total);
  }

  function refused(json) {
    /* The plain POST re-renders every error next to its row: fall back to it. */
    form.setAttribute("data-plain", "1");
    text.textContent = (json && json.error && json.error.message) || say("error");
    form.submit();
  }

  form.addEventListener("submit", function (event) {
    if (form.getAttribute("data-plain") === "1") {
      return;
    }
    event.preventDefault();
    var parts = chunks();
    var total = parts.reduce(function (n, part) { return n + part.length; }, 0);
    var checked = 0;
    show(0, total, say("checking"));
    var check = parts.reduce(function (previous, part) {
      return previous.then(function (ok) {
        if (!ok) { return false; }
        return post(part, true).then(function (answer) {
          if (!answer.ok) { refused(answer.json); return false; }
          checked += part.length;
          show(0, total, say("checked", checked, total));
          return true;
        });
      });
    }, Promise.resolve(true));
    check.then(function (ok) {
      if (!ok) { return; }
      var saved = 0;
      show(0, total);
      return parts.reduce(function (previous, part) {
        return previous.then(function (going) {
          if (!going) { return false; }
          return post(part, false).then(function (answer) {
            if (!answer.ok) { refused(answer.json); return false; }
            saved += answer.json.saved;
            show(saved, total);
            return true;
          });
        });
      }, Promise.resolve(true)).then(function (going) {
        if (going) {
          window.location.assign(form.action);
        }
      });
    }).catch(function () {
      form.setAttribute("data-plain", "1");
      form.submit();
    });
  });
}());
