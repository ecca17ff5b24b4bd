// One connection to /_events for every tab of `handouts serve` (see live.js).
"use strict";
var ports = [];
var source = new EventSource("/_events");
source.addEventListener("reload", function () {
  ports.forEach(function (port) { port.postMessage("reload"); });
});
onconnect = function (event) {
  var port = event.ports[0];
  ports.push(port);
  port.start();
};
