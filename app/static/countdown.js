// Keeps "in 3 days 4 hours" countdowns running. Progressive enhancement: the page shows the
// countdown as the server wrote it. A <time class="countdown"> carries the deadline
// (datetime), the call's clock time when the page was made (data-clock-now: a rehearsal clock
// runs at wall speed from there) and the words in the page's language (data-texts: "{n}" and
// "{time}" are filled in).
(function () {
  "use strict";
  var loaded = Date.now();

  function plural(words, n, unit) { return words[unit][n === 1 ? 0 : 1].replace("{n}", n); }
  function countdown(words, ms) {
    var seconds = Math.trunc(ms / 1000), amount = Math.abs(seconds);
    var units = [[Math.floor(amount / 86400), "day"], [Math.floor(amount % 86400 / 3600), "hour"],
                 [Math.floor(amount % 3600 / 60), "minute"]];
    var first = units.findIndex(function (u) { return u[0] > 0; });
    if (first < 0) { return seconds >= 0 ? words.soon : words.just; }
    var text = units.slice(first, first + 2).filter(function (u) { return u[0] > 0; })
      .map(function (u) { return plural(words, u[0], u[1]); }).join(" ");
    return (seconds >= 0 ? words["in"] : words.ago).replace("{time}", text);
  }
  function tick() {
    document.querySelectorAll("time.countdown").forEach(function (el) {
      var clockNow = Date.parse(el.dataset.clockNow) + (Date.now() - loaded);
      el.textContent = countdown(JSON.parse(el.dataset.texts),
                                 Date.parse(el.getAttribute("datetime")) - clockNow);
    });
  }
  setInterval(tick, 30000);
})();
