// Portico client portal: live updates and upload progress. Every page works without this
// script; it only spares a reload. It never builds HTML itself: it fetches the page again
// from the server and swaps in the parts marked data-live.
(function () {
  "use strict";

  var body = document.body;
  if (body.dataset.events && window.EventSource && window.fetch && window.DOMParser) {
    follow(body.dataset.events, body.dataset.task || "", body.dataset.doc || "",
      body.dataset.digest || "");
  }
  var forms = document.querySelectorAll("form[data-upload]");
  for (var i = 0; i < forms.length; i++) {
    withProgress(forms[i]);
  }

  // follow listens to the project's event stream and refreshes the page's live parts
  // when something the client may see has changed; a task or doc page only for changes
  // of its own task or doc. A "gone" event says something the page shows was hidden or
  // deleted: on the project page the refresh drops it; a task or doc page gone itself
  // gets 404 on refresh and reloads into the not-found page. The page names its task or
  // doc to the stream so that its files and comments are followed as well.
  //
  // The page also names the digest of what it was rendered from; when the page is out of
  // date by the time the stream opens, the stream's first event is "refresh".
  function follow(url, task, doc, digest) {
    var params = [];
    if (task) params.push("task=" + encodeURIComponent(task));
    else if (doc) params.push("doc=" + encodeURIComponent(doc));
    if (digest) params.push("digest=" + encodeURIComponent(digest));
    if (params.length) url += "?" + params.join("&");
    var source = new EventSource(url);
    var opened = false;
    var timer = 0;
    source.onopen = function () {
      // After a reconnect, events may have been missed: refresh once.
      if (opened) schedule();
      opened = true;
    };
    source.onmessage = function (e) {
      var event;
      try {
        event = JSON.parse(e.data);
      } catch (err) {
        return;
      }
      if (event.action === "refresh") return schedule();
      if (task && event.task_id !== task) return;
      if (doc && event.doc_id !== doc) return;
      schedule();
    };
    source.onerror = function () {
      // CLOSED means the server refused the stream (access gone, signed out): reload
      // the page so it shows why.
      if (source.readyState === EventSource.CLOSED) refresh();
    };
    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(refresh, 200);
    }
  }

  // refresh fetches this page again and swaps in its live parts; if the page is gone or
  // the session ended, it reloads so the browser shows the server's answer.
  function refresh() {
    fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (res) {
        if (!res.ok || res.redirected) {
          location.reload();
          return "";
        }
        return res.text();
      })
      .then(function (html) {
        if (!html) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        var parts = document.querySelectorAll("[data-live]");
        for (var i = 0; i < parts.length; i++) {
          var fresh = doc.getElementById(parts[i].id);
          if (fresh) parts[i].replaceWith(document.importNode(fresh, true));
        }
      })
      .catch(function () {});
  }

  // withProgress sends an upload form with XMLHttpRequest to show its progress; without
  // script the form posts normally.
  function withProgress(form) {
    if (!window.FormData || !window.XMLHttpRequest) return;
    var bar = form.querySelector(".upload-progress");
    var status = form.querySelector(".upload-status");
    var button = form.querySelector("button[type=submit]");
    var max = Number(form.dataset.max) || 0;
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var input = form.querySelector("input[type=file]");
      for (var i = 0; max && input && i < input.files.length; i++) {
        if (input.files[i].size > max) {
          done(input.files[i].name + " is larger than the upload limit.");
          return;
        }
      }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.onprogress = function (p) {
        if (!p.lengthComputable) return;
        bar.value = Math.floor((p.loaded / p.total) * 100);
        status.textContent = "Uploading… " + bar.value + "%";
      };
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300) {
          status.textContent = "Uploaded.";
          location.href = xhr.responseURL || location.href;
          return;
        }
        done(reason(xhr) || explain(xhr.status));
      };
      xhr.onerror = function () {
        done("The upload was interrupted. Please try again.");
      };
      bar.hidden = false;
      bar.value = 0;
      button.disabled = true;
      status.textContent = "Uploading…";
      xhr.send(new FormData(form));
    });
    function done(message) {
      bar.hidden = true;
      button.disabled = false;
      status.textContent = message;
    }
  }

  // reason takes the server's own message from a refused upload's page, if there is one.
  function reason(xhr) {
    if (xhr.status !== 400 || !window.DOMParser) return "";
    var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var alert = doc.querySelector("form[data-upload] .alert");
    return alert ? alert.textContent : "";
  }

  function explain(status) {
    switch (status) {
      case 413:
        return "This file is larger than the upload limit.";
      case 400:
        return "The upload was refused. Check the file and try again.";
      case 404:
        return "This task is no longer shared with you.";
      default:
        return "The upload failed. Please try again.";
    }
  }
})();
