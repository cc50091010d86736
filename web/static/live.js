// Live check while typing: posts the form to /voorstel/live and shows the toets.
// Progressive enhancement only: without JavaScript the Toetsen button does the same.
(function () {
  "use strict";
  var form = document.getElementById("voorstel-form");
  var result = document.getElementById("resultaat");
  if (!form || !result || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-live");
  var timer = null;
  var sequence = 0;
  function check() {
    var mine = ++sequence;
    var body = new URLSearchParams(new FormData(form));
    fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"X-CSRF-Token": form.elements.csrf.value}
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html !== null && mine === sequence) {
        result.innerHTML = html;
        result.setAttribute("data-live-klaar", String(mine));
      }
    }).catch(function () { /* the button still works */ });
  }
  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 400);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
}());
