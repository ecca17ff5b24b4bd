// Live reload for pages shown by `handouts serve` (never part of the built site):
// reloads the page when a rebuild finishes. All tabs share one connection to
// /_events through a SharedWorker, so many open tabs never use up the browser's
// connections to the server. A page whose print form holds typing is not reloaded.
(function () {
  "use strict";
  function reload() {
    var form = document.querySelector("#desk form");
    var typed = form && Array.prototype.some.call(form.querySelectorAll("input[type=text], textarea"),
      function (field) { return field.value !== ""; });
    if (!typed) { location.reload(); }
  }
  if (window.SharedWorker) {
    var worker = new SharedWorker("/_handouts/live-worker.js");
    worker.port.onmessage = function (event) { if (event.data === "reload") { reload(); } };
    worker.port.start();
  } else if (window.EventSource) {
    new EventSource("/_events").addEventListener("reload", reload);
  }
})();
