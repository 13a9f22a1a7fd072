// Keeps the "Helsinki time on that day: UTC+03:00" note of a date-and-time field right while
// the person types: the offset depends on the day (summer time from late March to late October).
(function () {
  "use strict";
  var ZONE = "Europe/Helsinki";

  function localHour(utcMillis) {
    var parts = new Intl.DateTimeFormat("en-GB", {
      timeZone: ZONE, hour: "2-digit", hourCycle: "h23"
    }).formatToParts(new Date(utcMillis));
    for (var i = 0; i < parts.length; i++) {
      if (parts[i].type === "hour") { return parseInt(parts[i].value, 10); }
    }
    return NaN;
  }

  // Summer time when the wall-clock time read as UTC+03:00 shows that hour in Helsinki.
  function isSummer(day, time) {
    var d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
    var t = /^(\d{2}):(\d{2})/.exec(time || "12:00");
    if (!d || !t) { return null; }
    var hour = parseInt(t[1], 10);
    var asSummer = Date.UTC(+d[1], +d[2] - 1, +d[3], hour - 3, +t[2]);
    return localHour(asSummer) === hour;
  }

  function update(note) {
    var field = note.closest("fieldset");
    var day = field.querySelector('input[type="date"]');
    var time = field.querySelector('input[type="time"]');
    var summer = isSummer(day.value, time.value);
    note.textContent = summer === null ? note.dataset.unknown
      : summer ? note.dataset.summer : note.dataset.winter;
  }

  document.querySelectorAll("[data-helsinki-offset]").forEach(function (note) {
    var field = note.closest("fieldset");
    field.querySelectorAll("input").forEach(function (input) {
      input.addEventListener("input", function () { update(note); });
    });
  });
})();
