// Keeps SLA countdowns live between page loads. The page is rendered on the server, which also says what time it is
// there (data-server-now): counting from the server's clock keeps a browser with a wrong clock from showing wrong deadlines.
(function () {
  var marker = document.querySelector("[data-server-now]");
  var offset = marker ? Date.parse(marker.getAttribute("data-server-now")) - Date.now() : 0;
  function words(ms) {
    var m = Math.floor(Math.abs(ms) / 60000), h = Math.floor(m / 60), d = Math.floor(h / 24);
    var w = d >= 1 ? d + "d " + (h % 24) + "h" : h >= 1 ? h + "h " + (m % 60) + "m" : m + "m";
    return ms >= 0 ? "due in " + w : "overdue by " + w;
  }
  function tick() {
    var now = Date.now() + offset;
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var left = Date.parse(el.getAttribute("data-due")) - now;
      el.textContent = words(left);
      el.classList.toggle("overdue", left < 0);
    });
  }
  tick();
  setInterval(tick, 15000);
})();
